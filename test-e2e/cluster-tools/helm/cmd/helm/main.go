// Command helm is the Helm 4 command line, through its public root-command constructor.
package main

import (
	"errors"
	"fmt"
	"os"

	// Lets kubeconfigs that name an auth provider (OIDC, exec, ...) work as with the released binary.
	_ "k8s.io/client-go/plugin/pkg/client/auth"

	helmcmd "helm.sh/helm/v4/pkg/cmd"
	"helm.sh/helm/v4/pkg/kube"
)

func main() {
	// Objects Helm applies are owned by the field manager "helm", whatever this binary is called.
	kube.ManagedFieldsManager = "helm"
	root, err := helmcmd.NewRootCmd(os.Stdout, os.Args[1:], helmcmd.SetupLogging)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
	if err := root.Execute(); err != nil {
		var commandError helmcmd.CommandError
		if errors.As(err, &commandError) {
			os.Exit(commandError.ExitCode)
		}
		os.Exit(1)
	}
}
