// Command kube-controller-manager runs the upstream controller manager (garbage collection,
// namespace deletion, service accounts) through its public command constructor.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"

	_ "gko.local/controlplane/internal/lifeline"
)

func main() { os.Exit(cli.Run(app.NewControllerManagerCommand())) }
