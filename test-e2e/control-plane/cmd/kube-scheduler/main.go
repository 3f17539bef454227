// Command kube-scheduler runs the upstream scheduler through its public command constructor, so that
// pods of a test cluster get bound to its node.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-scheduler/app"

	_ "gko.local/controlplane/internal/lifeline"
)

func main() { os.Exit(cli.Run(app.NewSchedulerCommand())) }
