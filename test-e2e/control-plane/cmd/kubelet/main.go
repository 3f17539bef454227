// Command kubelet runs the upstream node agent through its public command constructor, so that a
// test node can run pods on the machine's container runtime.
package main

import (
	"context"
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kubelet/app"

	_ "gko.local/controlplane/internal/lifeline"
)

func main() { os.Exit(cli.Run(app.NewKubeletCommand(context.Background()))) }
