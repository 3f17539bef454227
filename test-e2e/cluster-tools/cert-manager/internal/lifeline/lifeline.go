// Package lifeline stops this program once the test run that started it has gone, even when that
// run was killed and never got to clean up.
//
// It is the same few lines as test-e2e/control-plane/internal/lifeline, written again because Go
// does not let another module import that internal package. It does nothing unless
// GKO_TESTENV_PARENT_PID names the process that is expected to stay our parent.
package lifeline

import (
	"os"
	"strconv"
	"syscall"
	"time"
)

const (
	parentEnv    = "GKO_TESTENV_PARENT_PID"
	pollInterval = 500 * time.Millisecond
	// After asking ourselves to stop gracefully, give the program this long before exiting hard.
	gracePeriod = 5 * time.Second
)

func init() {
	parent, err := strconv.Atoi(os.Getenv(parentEnv))
	if err != nil || parent <= 1 {
		return
	}
	go watch(parent)
}

// watch polls our parent PID: when the parent dies the kernel re-parents us, so a changed PPID
// means the test run is gone.
func watch(parent int) {
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	for range ticker.C {
		if os.Getppid() == parent {
			continue
		}
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(gracePeriod)
		os.Exit(3)
	}
}
