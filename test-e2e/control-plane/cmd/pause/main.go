// Command pause is the entry point of the test node's pod sandbox image: the sandbox only has to hold
// the pod's namespaces open, so it waits until the runtime asks it to stop and then exits cleanly.
//
// It has no lifeline: it runs inside containers, which are children of the container runtime, not
// of the test run. Built with CGO_ENABLED=0 it is static and runs in a `FROM scratch` image.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}
