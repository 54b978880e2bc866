package dryrun

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"

	"example.com/migrator/migrate"
)

// Format pipes a plan through an external SQL formatter (pg_format,
// sqlfluff ...) and writes the result to w.
func Format(w io.Writer, formatter string, plan []byte) error {
	cmd := exec.Command(formatter)
	cmd.Stdout = w
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("dryrun: start %s: %w", formatter, err)
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	if _, err := stdin.Write(plan); err != nil {
		return err
	}
	return stdin.Close()
}

// FormatPlan renders the plan of migs and formats it with formatter; an
// empty formatter leaves the plan as it is.
func FormatPlan(w io.Writer, formatter string, migs []migrate.Migration, dir migrate.Direction) error {
	var buf bytes.Buffer
	if err := WritePlan(&buf, migs, dir); err != nil {
		return err
	}
	if formatter == "" {
		_, err := buf.WriteTo(w)
		return err
	}
	cmd := exec.Command(formatter)
	cmd.Stdin = &buf
	cmd.Stdout = w
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("dryrun: %s: %w", formatter, err)
	}
	return nil
}
