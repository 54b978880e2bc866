package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"text/tabwriter"
	"time"

	"example.com/k8scontrollers/pkg/api"
	"example.com/k8scontrollers/pkg/client"
)

func cmdGet(ctx context.Context, c *client.Client, args []string, out io.Writer) error {
	if len(args) != 1 {
		return errUsage
	}
	w, err := c.Get(ctx, args[0])
	if err != nil {
		return err
	}
	return api.Encode(out, w)
}

func cmdList(ctx context.Context, c *client.Client, args []string, out io.Writer) error {
	ns := ""
	if len(args) > 0 {
		ns = args[0]
	}
	items, _, err := c.List(ctx, ns)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAMESPACE\tNAME\tREPLICAS\tREADY\tIMAGE")
	for _, w := range items {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", w.Namespace, w.Name, w.Spec.Replicas, w.Status.ReadyReplicas, w.Spec.Image)
	}
	return tw.Flush()
}

// cmdEdit opens the widget in $EDITOR and writes back the result.
func cmdEdit(ctx context.Context, c *client.Client, args []string) error {
	if len(args) != 1 {
		return errUsage
	}
	w, err := c.Get(ctx, args[0])
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "widget-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := api.Encode(tmp, w); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	editor := envOr("EDITOR", "vi")
	cmd := exec.CommandContext(ctx, editor, tmp.Name())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("editor: %w", err)
	}
	edited, err := api.ReadWidgetFile(tmp.Name())
	if err != nil {
		log.Fatalf("widgetctl: edited object is invalid: %v", err) // HAZ exit-skips-defer
	}
	_, err = c.Update(ctx, edited)
	return err
}

// cmdDelete deletes every key given, concurrently.
func cmdDelete(ctx context.Context, c *client.Client, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	var wg sync.WaitGroup
	errs := make([]error, len(args))
	for i, key := range args {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.Delete(ctx, key)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func cmdExport(ctx context.Context, c *client.Client, args []string, out io.Writer) error {
	if len(args) != 2 {
		return errUsage
	}
	items, _, err := c.List(ctx, args[0])
	if err != nil {
		return err
	}
	if args[1] == "-" {
		return writeCSV(out, items)
	}
	return exportCSV(args[1], items)
}

func csvRecord(w *api.Widget) []string {
	ready := "false"
	if w.IsReady() {
		ready = "true"
	}
	return []string{w.Namespace, w.Name, strconv.Itoa(int(w.Spec.Replicas)), w.Spec.Image, ready}
}

var csvHeader = []string{"namespace", "name", "replicas", "image", "ready"}

// writeCSV writes items to out and reports buffered write errors.
func writeCSV(out io.Writer, items []*api.Widget) error {
	cw := csv.NewWriter(out)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, w := range items {
		if err := cw.Write(csvRecord(w)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// exportCSV writes items to a new CSV file at path.
func exportCSV(path string, items []*api.Widget) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, w := range items {
		if err := cw.Write(csvRecord(w)); err != nil {
			return err
		}
	}
	return nil
}

func cmdWatch(ctx context.Context, c *client.Client, args []string, out io.Writer) error {
	ns := ""
	if len(args) > 0 {
		ns = args[0]
	}
	_, rv, err := c.List(ctx, ns)
	if err != nil {
		return err
	}
	w, err := c.Watch(ctx, ns, rv)
	defer w.Stop() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.ResultChan():
			if !ok {
				return errors.New("watch closed by server")
			}
			fmt.Fprintf(out, "%-8s %s\n", ev.Type, ev.Object.GetMeta().Key())
		}
	}
}

// cmdPing checks that the API server answers its health endpoint.
func cmdPing(server string, out io.Writer) error {
	start := time.Now()
	resp, _ := http.Get(server + "/healthz")
	elapsed := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	fmt.Fprintf(out, "%s answered %s in %v\n", server, resp.Status, elapsed.Round(time.Millisecond))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s", resp.Status)
	}
	return nil
}
