// Command etcd is etcd's own server entry point, built from the version Kubernetes pins.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"

	_ "gko.local/controlplane/internal/lifeline"
)

func main() { etcdmain.Main(os.Args) }
