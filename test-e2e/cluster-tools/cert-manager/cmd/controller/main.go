// Command controller runs cert-manager's controllers (issuers, certificates, certificate requests,
// ...) outside any cluster, for the end-to-end tests, from a ControllerConfiguration file
// (controller.config.cert-manager.io/v1alpha1).
//
// cert-manager's own entry point lives in a module the Go module proxy does not serve, so this one
// wires the main module's packages together itself: load and validate the configuration, build the
// controller context, construct the enabled controllers, start the shared informers, serve metrics
// and health. Leader election is refused: a test cluster runs exactly one controller.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	config "github.com/cert-manager/cert-manager/internal/apis/config/controller"
	defaults "github.com/cert-manager/cert-manager/internal/apis/config/controller/v1alpha1"
	"github.com/cert-manager/cert-manager/internal/apis/config/controller/validation"
	"github.com/cert-manager/cert-manager/internal/pem"
	"github.com/cert-manager/cert-manager/pkg/controller"
	"github.com/cert-manager/cert-manager/pkg/controller/configfile"
	dnsutil "github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/util"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"

	// The issuers controller sets up issuers of the kinds registered by these packages.
	_ "github.com/cert-manager/cert-manager/pkg/issuer/acme"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/vault"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/venafi"

	"github.com/cert-manager/cert-manager/gkotestenv/internal/health"
	_ "github.com/cert-manager/cert-manager/gkotestenv/internal/lifeline"
)

func main() {
	configPath := flag.String("config", "", "a ControllerConfiguration file (controller.config.cert-manager.io/v1alpha1)")
	version := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *version {
		fmt.Println("cert-manager controller", util.AppVersion)
		return
	}
	logf.InitLogs()
	defer logf.FlushLogs()
	cfg, err := loadConfig(*configPath)
	if err == nil {
		err = run(cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cert-manager controller:", err)
		logf.FlushLogs()
		os.Exit(1)
	}
}

func loadConfig(path string) (*config.ControllerConfiguration, error) {
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
	cfg := file.Config
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
	if errs := validation.ValidateControllerConfiguration(cfg, field.NewPath("config")); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	if cfg.LeaderElectionConfig.Enabled {
		return nil, errors.New("leaderElectionConfig.enabled must be false: this build runs one controller per cluster")
	}
	if cfg.MetricsTLSConfig.FilesystemConfigProvided() || cfg.MetricsTLSConfig.DynamicConfigProvided() {
		return nil, errors.New("metricsTLSConfig is not supported by this build: metrics are served over plain HTTP")
	}
	return cfg, nil
}

func run(cfg *config.ControllerConfiguration) error {
	if err := utilfeature.DefaultMutableFeatureGate.SetFromMap(cfg.FeatureGates); err != nil {
		return fmt.Errorf("featureGates: %w", err)
	}
	if err := logf.ValidateAndApply(&cfg.Logging); err != nil {
		return fmt.Errorf("logging: %w", err)
	}
	pem.SetGlobalSizeLimits(pem.SizeLimits{
		MaxCertificateSize: cfg.PEMSizeLimitsConfig.MaxCertificateSize,
		MaxPrivateKeySize:  cfg.PEMSizeLimitsConfig.MaxPrivateKeySize,
		MaxChainLength:     cfg.PEMSizeLimitsConfig.MaxChainLength,
		MaxBundleSize:      cfg.PEMSizeLimitsConfig.MaxBundleSize,
	})

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ctx = logf.NewContext(ctx, logf.Log, "controller")
	log := logf.FromContext(ctx)

	options, err := contextOptions(cfg)
	if err != nil {
		return err
	}
	factory, err := controller.NewContextFactory(ctx, options)
	if err != nil {
		return err
	}

	// Every controller asks the shared informer factories for the informers it needs while it is
	// constructed, so all of them are constructed before the factories start.
	loops := map[string]controller.Interface{}
	for _, name := range enabledControllers(cfg.Controllers) {
		if cfg.Namespace != "" && slices.Contains(defaults.ClusterScopedControllers, name) {
			log.Info("not starting a cluster-scoped controller in a namespaced installation", "controller", name)
			continue
		}
		construct, ok := controller.Known()[name]
		if !ok {
			return fmt.Errorf("controller %q is not part of this build", name)
		}
		loop, err := construct(factory)
		if err != nil {
			return fmt.Errorf("controller %q: %w", name, err)
		}
		loops[name] = loop
	}
	shared, err := factory.Build()
	if err != nil {
		return err
	}
	shared.SharedInformerFactory.Start(ctx.Done())
	shared.KubeSharedInformerFactory.Start(ctx.Done())
	shared.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())
	if shared.GatewaySolverEnabled {
		shared.GWShared.Start(ctx.Done())
	}

	// Metrics collectors are registered by the controllers' constructors, so the server comes last.
	metricsListener, err := net.Listen("tcp", cfg.MetricsListenAddress)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	metricsServer := shared.Metrics.NewServer(metricsListener)

	probes := &health.Server{}
	group, groupCtx := errgroup.WithContext(ctx)
	group.Go(func() error { return probes.Serve(groupCtx, cfg.HealthzListenAddress) })
	group.Go(func() error {
		if err := metricsServer.Serve(metricsListener); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("metrics: %w", err)
		}
		return nil
	})
	group.Go(func() error {
		<-groupCtx.Done()
		return metricsServer.Close()
	})
	for name, loop := range loops {
		group.Go(func() error {
			log.Info("starting controller", "controller", name)
			// A loop stopped while waiting for its caches reports an error; on shutdown that is no failure.
			if err := loop.Run(cfg.NumberOfConcurrentWorkers, groupCtx); err != nil && groupCtx.Err() == nil {
				return fmt.Errorf("controller %q: %w", name, err)
			}
			return nil
		})
	}
	group.Go(func() error {
		synced := allTrue(shared.SharedInformerFactory.WaitForCacheSync(groupCtx.Done())) &&
			allTrue(shared.KubeSharedInformerFactory.WaitForCacheSync(groupCtx.Done())) &&
			allTrue(shared.HTTP01ResourceMetadataInformersFactory.WaitForCacheSync(groupCtx.Done()))
		if synced {
			log.Info("informer caches synced", "controllers", len(loops))
			probes.Ready()
		}
		return nil
	})
	return group.Wait()
}

// enabledControllers reads the `controllers` setting the way cert-manager documents it: "*" is
// the default set, a name adds that controller, "-name" removes it.
func enabledControllers(requested []string) []string {
	enabled := sets.New[string]()
	if slices.Contains(requested, "*") {
		enabled.Insert(defaults.DefaultEnabledControllers...)
	}
	for _, name := range requested {
		switch {
		case name == "*":
		case strings.HasPrefix(name, "-"):
			enabled.Delete(strings.TrimPrefix(name, "-"))
		default:
			enabled.Insert(name)
		}
	}
	return sets.List(enabled)
}

func contextOptions(cfg *config.ControllerConfiguration) (controller.ContextOptions, error) {
	quantities := map[string]resource.Quantity{}
	for name, value := range map[string]string{
		"solverResourceRequestCPU":    cfg.ACMEHTTP01Config.SolverResourceRequestCPU,
		"solverResourceRequestMemory": cfg.ACMEHTTP01Config.SolverResourceRequestMemory,
		"solverResourceLimitsCPU":     cfg.ACMEHTTP01Config.SolverResourceLimitsCPU,
		"solverResourceLimitsMemory":  cfg.ACMEHTTP01Config.SolverResourceLimitsMemory,
	} {
		quantity, err := resource.ParseQuantity(value)
		if err != nil {
			return controller.ContextOptions{}, fmt.Errorf("acmeHTTP01Config.%s: %w", name, err)
		}
		quantities[name] = quantity
	}
	nameservers := cfg.ACMEDNS01Config.RecursiveNameservers
	if len(nameservers) == 0 {
		nameservers = dnsutil.RecursiveNameservers
	}
	return controller.ContextOptions{
		APIServerHost:      cfg.APIServerHost,
		Kubeconfig:         cfg.KubeConfig,
		KubernetesAPIQPS:   cfg.KubernetesAPIQPS,
		KubernetesAPIBurst: cfg.KubernetesAPIBurst,
		Namespace:          cfg.Namespace,
		IssuerOptions: controller.IssuerOptions{
			ClusterResourceNamespace:        cfg.ClusterResourceNamespace,
			ClusterIssuerAmbientCredentials: cfg.ClusterIssuerAmbientCredentials,
			IssuerAmbientCredentials:        cfg.IssuerAmbientCredentials,
		},
		ACMEOptions: controller.ACMEOptions{
			HTTP01SolverImage:                 cfg.ACMEHTTP01Config.SolverImage,
			HTTP01SolverResourceRequestCPU:    quantities["solverResourceRequestCPU"],
			HTTP01SolverResourceRequestMemory: quantities["solverResourceRequestMemory"],
			HTTP01SolverResourceLimitsCPU:     quantities["solverResourceLimitsCPU"],
			HTTP01SolverResourceLimitsMemory:  quantities["solverResourceLimitsMemory"],
			ACMEHTTP01SolverRunAsNonRoot:      cfg.ACMEHTTP01Config.SolverRunAsNonRoot,
			HTTP01SolverNameservers:           cfg.ACMEHTTP01Config.SolverNameservers,
			DNS01CheckAuthoritative:           !cfg.ACMEDNS01Config.RecursiveNameserversOnly,
			DNS01Nameservers:                  nameservers,
			DNS01CheckRetryPeriod:             cfg.ACMEDNS01Config.CheckRetryPeriod,
		},
		IngressShimOptions: controller.IngressShimOptions{
			DefaultIssuerName:                 cfg.IngressShimConfig.DefaultIssuerName,
			DefaultIssuerKind:                 cfg.IngressShimConfig.DefaultIssuerKind,
			DefaultIssuerGroup:                cfg.IngressShimConfig.DefaultIssuerGroup,
			DefaultAutoCertificateAnnotations: cfg.IngressShimConfig.DefaultAutoCertificateAnnotations,
			ExtraCertificateAnnotations:       cfg.IngressShimConfig.ExtraCertificateAnnotations,
		},
		CertificateOptions: controller.CertificateOptions{
			EnableOwnerRef:                           cfg.EnableCertificateOwnerRef,
			CopiedAnnotationPrefixes:                 cfg.CopiedAnnotationPrefixes,
			CertificateRequestMinimumBackoffDuration: cfg.CertificateRequestMinimumBackoffDuration,
		},
		SchedulerOptions: controller.SchedulerOptions{MaxConcurrentChallenges: cfg.MaxConcurrentChallenges},
		ConfigOptions: controller.ConfigOptions{
			EnableGatewayAPI:            cfg.EnableGatewayAPI,
			EnableGatewayAPIListenerSet: cfg.EnableGatewayAPIListenerSet,
		},
	}, nil
}

func allTrue[K comparable](synced map[K]bool) bool {
	for _, ok := range synced {
		if !ok {
			return false
		}
	}
	return true
}
