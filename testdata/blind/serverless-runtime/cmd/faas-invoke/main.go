// Command faas-invoke is the operator CLI: invoke functions, deploy
// bundles, and run quick load tests against a local faasd.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/faas/internal/bundle"
	"example.com/faas/internal/metrics"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: faas-invoke invoke|deploy|bench [flags] ...")
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "faas-invoke: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "invoke":
		if err := cmdInvoke(args); err != nil {
			die("%v", err)
		}
	case "deploy":
		cmdDeploy(args)
	case "bench":
		if err := cmdBench(args); err != nil {
			die("%v", err)
		}
	default:
		usage()
		os.Exit(2)
	}
}

// post sends body to url and returns the response body.
func post(ctx context.Context, url, contentType string, body io.Reader) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(data))
	}
	return data, nil
}

// cmdInvoke runs one function and prints its output.
func cmdInvoke(args []string) error {
	fs := flag.NewFlagSet("invoke", flag.ContinueOnError)
	server := fs.String("server", "http://127.0.0.1:8080", "faasd address")
	timeout := fs.Duration("timeout", 30*time.Second, "invocation timeout")
	data := fs.String("data", "", "payload (default: read stdin)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("invoke: want one function name, got %d", fs.NArg())
	}
	var payload io.Reader = os.Stdin
	if *data != "" {
		payload = bytes.NewBufferString(*data)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	out, err := post(ctx, *server+"/v1/invoke/"+fs.Arg(0), "application/octet-stream", payload)
	if err != nil {
		return fmt.Errorf("invoke %s: %w", fs.Arg(0), err)
	}
	_, err = os.Stdout.Write(out)
	return err
}

// upload sends a packed bundle to the admin API.
func upload(ctx context.Context, admin, archive string) (bundle.Ref, error) {
	f, err := os.Open(archive)
	if err != nil {
		return bundle.Ref{}, err
	}
	defer f.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, admin+"/admin/bundles", f)
	if err != nil {
		return bundle.Ref{}, err
	}
	req.Header.Set("Content-Type", "application/zip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return bundle.Ref{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return bundle.Ref{}, fmt.Errorf("upload: %s: %s", resp.Status, bytes.TrimSpace(msg))
	}
	var ref bundle.Ref
	err = json.NewDecoder(resp.Body).Decode(&ref)
	return ref, err
}

// cmdDeploy packs a directory, uploads it, and prints the bundle ref.
func cmdDeploy(args []string) {
	fs := flag.NewFlagSet("deploy", flag.ExitOnError)
	admin := fs.String("admin", "http://127.0.0.1:8081", "faasd admin address")
	dir := fs.String("dir", ".", "function directory")
	_ = fs.Parse(args)

	archive := filepath.Join(os.TempDir(), fmt.Sprintf("faas-deploy-%d.zip", os.Getpid()))
	defer os.Remove(archive)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	err := bundle.PackDir(*dir, archive)
	var ref bundle.Ref
	if err == nil {
		ref, err = upload(ctx, *admin, archive)
	}
	if err != nil {
		die("deploy %s: %v", *dir, err) // HAZ exit-skips-defer
	}
	fmt.Printf("%s %s\n", ref.Function, ref.Digest)
}

// cmdBench fires n concurrent invocations and prints latency metrics.
func cmdBench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	server := fs.String("server", "http://127.0.0.1:8080", "faasd address")
	n := fs.Int("n", 100, "invocations")
	c := fs.Int("c", 8, "concurrency")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("bench: want one function name")
	}
	fn := fs.Arg(0)
	agg := metrics.NewAggregator(nil, time.Hour)
	defer agg.Snapshot().WriteTo(os.Stdout) // HAZ defer-call-chain

	jobs := make(chan int)
	var wg sync.WaitGroup
	for range *c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				start := time.Now()
				_, err := post(ctx, *server+"/v1/invoke/"+fn, "application/json", bytes.NewBufferString("{}"))
				cancel()
				agg.Observe("bench."+fn, time.Since(start))
				if err != nil {
					agg.Inc("bench.errors", 1)
				}
			}
		}()
	}
	for i := range *n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return nil
}
