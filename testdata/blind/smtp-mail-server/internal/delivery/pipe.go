package delivery

import (
	"io"
	"os/exec"
)

// PipeTo delivers a message to a local program (the "|/usr/bin/procmail"
// form of an alias), writing the message on its standard input.
func PipeTo(prog string, args []string, body io.Reader) error {
	cmd := exec.Command(prog, args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	if _, err := io.Copy(stdin, body); err != nil {
		return err
	}
	return stdin.Close()
}
