// Command otelctl inspects a running collector through its admin port and
// validates configuration files offline.
//
//	otelctl status
//	otelctl config
//	otelctl tap [-o file] [-seconds N]
//	otelctl validate FILE...
//	otelctl bundle [-o file] [LOCAL-FILE...]
package main

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sort"
	"time"

	"example.com/otelcol/internal/config"
	"example.com/otelcol/internal/support"
)

var client = &http.Client{Timeout: 10 * time.Second}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	addr := os.Getenv("OTELCOL_ADMIN")
	if addr == "" {
		addr = "127.0.0.1:13133"
	}
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "status":
		cmdStatus(addr)
	case "config":
		cmdConfig(addr)
	case "tap":
		cmdTap(addr, args)
	case "validate":
		cmdValidate(args)
	case "bundle":
		if err := cmdBundle(addr, args); err != nil {
			die("bundle: %v", err)
		}
	default:
		usage()
		die("unknown command %q", cmd)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: otelctl status|config|tap|validate|bundle [args]")
}

// die prints the message and exits; it never returns.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "otelctl: "+format+"\n", args...)
	os.Exit(1)
}

func debugf(format string, args ...any) {
	if os.Getenv("OTELCTL_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "debug: "+format+"\n", args...)
	}
}

// getJSON fetches url and decodes the JSON body into v.
func getJSON(url string, v any) error {
	resp, err := client.Get(url)
	debugf("GET %s: err=%v", url, err)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func cmdStatus(addr string) {
	var results map[string]struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := getJSON("http://"+addr+"/healthz", &results); err != nil {
		die("status: %v", err)
	}
	names := make([]string, 0, len(results))
	for name := range results {
		names = append(names, name)
	}
	sort.Strings(names)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush() // HAZ defer-close-unchecked-write
	for _, name := range names {
		r := results[name]
		state := "ok"
		if !r.OK {
			state = "FAIL " + r.Error
		}
		fmt.Fprintf(w, "%-30s %s\n", name, state)
	}
}

func cmdConfig(addr string) {
	var page struct {
		Status config.Status   `json:"status"`
		Config json.RawMessage `json:"config"`
	}
	if err := getJSON("http://"+addr+"/debug/configz", &page); err != nil {
		die("config: %v", err)
	}
	fmt.Printf("# %s version %d loaded %s (%d failed reloads)\n",
		page.Status.Path, page.Status.Version, page.Status.LoadedAt.Format(time.RFC3339), page.Status.Failures)
	os.Stdout.Write(page.Config)
	fmt.Println()
}

// cmdTap saves a live tap to a file.
func cmdTap(addr string, args []string) {
	fs := flag.NewFlagSet("tap", flag.ExitOnError)
	out := fs.String("o", "tap.jsonl", "output file")
	secs := fs.Int("seconds", 10, "how long to tap")
	_ = fs.Parse(args)

	resp, err := http.Get(fmt.Sprintf("http://%s/debug/tapz?seconds=%d", addr, *secs))
	if err != nil {
		die("tap: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		die("tap: %s", resp.Status)
	}
	f, err := os.Create(*out)
	if err != nil {
		resp.Body.Close()
		die("tap: %v", err)
	}
	defer resp.Body.Close()
	bw := bufio.NewWriter(f)
	defer func() {
		if err := errors.Join(bw.Flush(), f.Close()); err != nil {
			fmt.Fprintf(os.Stderr, "otelctl: tap: %v\n", err)
		}
	}()
	n, err := io.Copy(bw, resp.Body)
	if err != nil {
		die("tap: after %d bytes: %v", n, err) // HAZ exit-skips-defer
	}
	fmt.Fprintf(os.Stderr, "wrote %d bytes to %s\n", n, *out)
}

func cmdValidate(files []string) {
	if len(files) == 0 {
		die("validate: no files")
	}
	bad := 0
	for _, path := range files {
		if _, err := config.Load(path); err != nil {
			fmt.Printf("%s: %v\n", path, err)
			bad++
			continue
		}
		fmt.Printf("%s: ok\n", path)
	}
	if bad > 0 {
		die("validate: %d of %d files invalid", bad, len(files))
	}
}

// fetch returns the body of a 200 response.
func fetch(url string) ([]byte, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 16<<20))
}

// cmdBundle writes a support bundle: the given local files (config,
// checkpoint) plus the collector's debug pages, as a zip archive.
func cmdBundle(addr string, args []string) error {
	fs := flag.NewFlagSet("bundle", flag.ExitOnError)
	out := fs.String("o", "otelcol-bundle.zip", "output archive")
	_ = fs.Parse(args)

	local, err := support.Collect("local", fs.Args()...)
	if err != nil {
		return err
	}
	tmp := *out + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // no-op once renamed
	defer f.Close()      // no-op once closed below
	zw := zip.NewWriter(f)
	for _, file := range local {
		if err := addToZip(zw, file.Name, file.Data); err != nil {
			return err
		}
	}
	for _, page := range []string{"/debug/configz", "/debug/metricz", "/debug/errorz"} {
		data, err := fetch("http://" + addr + page)
		if err != nil {
			log.Fatalf("bundle: %s: %v", page, err) // HAZ exit-skips-defer
		}
		if err := addToZip(zw, "admin"+page, data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, *out)
}

func addToZip(zw *zip.Writer, name string, data []byte) error {
	w, err := zw.Create(name)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}
