// Command cainjector runs cert-manager's CA injector outside any cluster, for the end-to-end tests,
// from a CAInjectorConfiguration file (cainjector.config.cert-manager.io/v1alpha1): it copies the
// CA of a Certificate (cert-manager.io/inject-ca-from) or Secret into webhook configurations,
// APIServices and CRD conversion webhooks.
//
// cert-manager's own entry point lives in a module the Go module proxy does not serve, so this one
// builds the controller-runtime manager itself and registers the main module's injectors with it.
// Leader election is refused: a test cluster runs exactly one injector. The configuration has no
// field for health probes, hence --health-probe-bind-address.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/klog/v2"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	config "github.com/cert-manager/cert-manager/internal/apis/config/cainjector"
	"github.com/cert-manager/cert-manager/internal/apis/config/cainjector/validation"
	"github.com/cert-manager/cert-manager/internal/kube"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"github.com/cert-manager/cert-manager/pkg/cainjector/configfile"
	"github.com/cert-manager/cert-manager/pkg/controller/cainjector"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"

	_ "github.com/cert-manager/cert-manager/gkotestenv/internal/lifeline"
)

func main() {
	configPath := flag.String("config", "", "a CAInjectorConfiguration file (cainjector.config.cert-manager.io/v1alpha1)")
	probeAddress := flag.String("health-probe-bind-address", "127.0.0.1:0", "where /healthz and /readyz are served")
	version := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *version {
		fmt.Println("cert-manager cainjector", util.AppVersion)
		return
	}
	logf.InitLogs()
	defer logf.FlushLogs()
	cfg, err := loadConfig(*configPath)
	if err == nil {
		err = run(cfg, *probeAddress)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cert-manager cainjector:", err)
		logf.FlushLogs()
		os.Exit(1)
	}
}

func loadConfig(path string) (*config.CAInjectorConfiguration, error) {
	if path == "" {
		return nil, errors.New("--config is required")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// Decoding converts to the internal type and applies cert-manager's defaults.
	file := configfile.New()
	if err := file.DecodeAndConfigure(data); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Relative paths in the file are relative to the file, as with the upstream program.
	refs, err := file.GetPathRefs()
	if err != nil {
		return nil, err
	}
	for _, ref := range refs {
		if *ref != "" && !filepath.IsAbs(*ref) {
			*ref = filepath.Join(filepath.Dir(path), *ref)
		}
	}
	cfg := file.Config
	if errs := validation.ValidateCAInjectorConfiguration(cfg, field.NewPath("config")); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	if cfg.LeaderElectionConfig.Enabled {
		return nil, errors.New("leaderElectionConfig.enabled must be false: this build runs one injector per cluster")
	}
	if cfg.MetricsTLSConfig.FilesystemConfigProvided() || cfg.MetricsTLSConfig.DynamicConfigProvided() {
		return nil, errors.New("metricsTLSConfig is not supported by this build: metrics are served over plain HTTP")
	}
	return cfg, nil
}

func run(cfg *config.CAInjectorConfiguration, probeAddress string) error {
	if err := utilfeature.DefaultMutableFeatureGate.SetFromMap(cfg.FeatureGates); err != nil {
		return fmt.Errorf("featureGates: %w", err)
	}
	if err := logf.ValidateAndApply(&cfg.Logging); err != nil {
		return fmt.Errorf("logging: %w", err)
	}
	ctrl.SetLogger(klog.Background())

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	restConfig, err := kube.BuildClientConfig("", cfg.KubeConfig)
	if err != nil {
		return err
	}
	restConfig = util.RestConfigWithUserAgent(restConfig, "cainjector")

	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		clientgoscheme.AddToScheme,
		apiextensionsv1.AddToScheme,
		apiregistrationv1.AddToScheme,
		cmapi.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			return err
		}
	}
	cacheOptions := cache.Options{}
	if cfg.Namespace != "" {
		cacheOptions.DefaultNamespaces = map[string]cache.Config{cfg.Namespace: {}}
	}
	manager, err := ctrl.NewManager(restConfig, ctrl.Options{
		Scheme:                 scheme,
		Cache:                  cacheOptions,
		LeaderElection:         false,
		Metrics:                metricsserver.Options{BindAddress: cfg.MetricsListenAddress},
		HealthProbeBindAddress: probeAddress,
		// The injectors watch only the metadata of Secrets; reading one goes to the API server
		// instead of caching every Secret of the cluster with its data.
		Client: client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
	})
	if err != nil {
		return err
	}

	kinds := map[string]bool{
		cainjector.MutatingWebhookConfigurationName:   cfg.EnableInjectableConfig.MutatingWebhookConfigurations,
		cainjector.ValidatingWebhookConfigurationName: cfg.EnableInjectableConfig.ValidatingWebhookConfigurations,
		cainjector.APIServiceName:                     cfg.EnableInjectableConfig.APIServices,
		cainjector.CustomResourceDefinitionName:       cfg.EnableInjectableConfig.CustomResourceDefinitions,
	}
	err = cainjector.RegisterAllInjectors(ctx, manager, cainjector.SetupOptions{
		Namespace:                    cfg.Namespace,
		EnableCertificatesDataSource: cfg.EnableDataSourceConfig.Certificates,
		EnabledReconcilersFor:        kinds,
	})
	if err != nil {
		return err
	}
	if err := manager.AddHealthzCheck("ping", healthz.Ping); err != nil {
		return err
	}
	if err := manager.AddReadyzCheck("informers", informersSynced(manager.GetCache(), watched(cfg))); err != nil {
		return err
	}
	return manager.Start(ctx)
}

// watched lists the kinds whose informers the enabled injectors read from.
func watched(cfg *config.CAInjectorConfiguration) []client.Object {
	secretMetadata := &metav1.PartialObjectMetadata{}
	secretMetadata.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Secret"))
	objects := []client.Object{secretMetadata}
	if cfg.EnableDataSourceConfig.Certificates {
		objects = append(objects, &cmapi.Certificate{})
	}
	if cfg.EnableInjectableConfig.MutatingWebhookConfigurations {
		objects = append(objects, &admissionregistrationv1.MutatingWebhookConfiguration{})
	}
	if cfg.EnableInjectableConfig.ValidatingWebhookConfigurations {
		objects = append(objects, &admissionregistrationv1.ValidatingWebhookConfiguration{})
	}
	if cfg.EnableInjectableConfig.APIServices {
		objects = append(objects, &apiregistrationv1.APIService{})
	}
	if cfg.EnableInjectableConfig.CustomResourceDefinitions {
		objects = append(objects, &apiextensionsv1.CustomResourceDefinition{})
	}
	return objects
}

// informersSynced is ready once the shared informers of every watched kind have listed their
// objects, so that a test can rely on an injection happening from then on.
func informersSynced(informers cache.Cache, objects []client.Object) healthz.Checker {
	return func(request *http.Request) error {
		for _, object := range objects {
			informer, err := informers.GetInformer(request.Context(), object, cache.BlockUntilSynced(false))
			if err != nil {
				return err
			}
			if !informer.HasSynced() {
				return fmt.Errorf("%T not synced yet", object)
			}
		}
		return nil
	}
}
