package server

import (
	"fmt"
	"io"
	"os"
	"os/exec"
)

// notifyUpload runs the configured upload hook. Hooks are site code (mail
// notifications, virus-scan queues); a broken hook must not take the
// session down.
func (s *Server) notifyUpload(user, path string, size int64) {
	if s.cfg.OnUpload == nil {
		return
	}
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	s.cfg.OnUpload(user, path, size)
}

// ScanUpload pipes a freshly uploaded file through an external scanner
// command (for example "clamdscan --stream -") that reads the content on
// its standard input.
func ScanUpload(scanner, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := exec.Command(scanner, "-")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	if _, err := io.Copy(stdin, f); err != nil {
		return fmt.Errorf("scan %s: %w", path, err)
	}
	return stdin.Close()
}
