package blobtest

import (
	"os/exec"
	"syscall"
)

// setProcAttr makes the server die with the test binary, even if that crashes.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
