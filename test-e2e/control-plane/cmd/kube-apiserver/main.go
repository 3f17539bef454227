// Command kube-apiserver runs the upstream API server through its public command constructor.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"

	_ "gko.local/controlplane/internal/lifeline"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
