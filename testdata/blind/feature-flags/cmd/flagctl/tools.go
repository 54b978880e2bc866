package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"example.com/flagsvc/internal/flags"
	"example.com/flagsvc/internal/store"
)

// timed reports how long a command took when FLAGCTL_VERBOSE is set:
//
//	defer timed("list")()
func timed(name string) func() {
	start := time.Now()
	return func() {
		if os.Getenv("FLAGCTL_VERBOSE") != "" {
			fmt.Fprintf(os.Stderr, "%s took %v\n", name, time.Since(start).Round(time.Millisecond))
		}
	}
}

// cmdHistory prints the audit trail of one or more flags.
func cmdHistory(cl *apiClient, keys []string) error {
	if len(keys) == 0 {
		return errUsage
	}
	for _, key := range keys {
		req, err := http.NewRequest(http.MethodGet, cl.base+"/admin/audit?n=50&key="+url.QueryEscape(key), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+cl.token)
		resp, err := cl.http.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", key, resp.Status)
		}
		fmt.Printf("== %s\n", key)
		if _, err := io.Copy(os.Stdout, resp.Body); err != nil {
			return err
		}
	}
	return nil
}

// cmdBench measures server-side evaluation latency. Set FLAGCTL_CPUPROFILE
// to profile flagctl itself at the same time.
func cmdBench(cl *apiClient, args []string) error {
	if len(args) != 2 {
		return errUsage
	}
	key := args[0]
	n, err := strconv.Atoi(args[1])
	if err != nil || n <= 0 {
		return errUsage
	}
	var stopProfile func()
	if path := os.Getenv("FLAGCTL_CPUPROFILE"); path != "" {
		stop, err := startCPUProfile(path)
		if err != nil {
			return err
		}
		stopProfile = stop
	}
	defer stopProfile() // HAZ defer-nil-func
	body := json.RawMessage(fmt.Sprintf(`{"user":{"key":"bench"},"keys":[%q]}`, key))
	ctx := context.Background()
	var total, worst time.Duration
	for range n {
		start := time.Now()
		if err := cl.do(ctx, http.MethodPost, "/evaluate", body, nil); err != nil {
			return err
		}
		d := time.Since(start)
		total += d
		worst = max(worst, d)
	}
	fmt.Printf("%d evaluations of %s: mean %v, worst %v\n", n, key, total/time.Duration(n), worst)
	return nil
}

func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "flagctl: write profile: %v\n", err)
		}
	}, nil
}

// cmdLint validates flag files for CI and exits with status 3 when a flag is
// invalid, printing one line per problem.
func cmdLint(args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	bad := 0
	for _, path := range args {
		list, err := readFlagFile(path)
		if err != nil {
			return err
		}
		for _, f := range list {
			if err := f.Validate(); err != nil {
				fmt.Fprintf(tw, "%s\t%s\t%v\n", path, f.Key, err)
				bad++
			}
		}
	}
	if bad > 0 {
		os.Exit(3) // HAZ exit-skips-defer
	}
	return nil
}

func readFlagFile(path string) ([]*flags.Flag, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []*flags.Flag
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return list, nil
}

// cmdStats prints the server's health summary.
func cmdStats(cl *apiClient) error {
	defer timed("stats") // HAZ defer-func-result-not-called
	var status map[string]any
	if err := cl.do(context.Background(), http.MethodGet, "/healthz", nil, &status); err != nil {
		return err
	}
	keys := make([]string, 0, len(status))
	for k := range status {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%-12s %v\n", k, status[k])
	}
	return nil
}

// cmdImportZip imports every *.json flag file of a zip bundle.
func cmdImportZip(cl *apiClient, args []string) error {
	if len(args) != 1 {
		return errUsage
	}
	zr, err := zip.OpenReader(args[0])
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	ctx := context.Background()
	n := 0
	for _, zf := range zr.File {
		if !strings.HasSuffix(zf.Name, ".json") {
			continue
		}
		f, err := readZipFlag(zf)
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
		if err := cl.putFlag(ctx, f); err != nil {
			return err
		}
		n++
	}
	fmt.Printf("imported %d flags from %s\n", n, args[0])
	return nil
}

func readZipFlag(zf *zip.File) (*flags.Flag, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var f flags.Flag
	if err := json.NewDecoder(rc).Decode(&f); err != nil {
		return nil, err
	}
	return &f, nil
}

// cmdRestore replaces the local store with the newest backup found in a
// directory. The store's lock file keeps other flagctl runs out meanwhile.
func cmdRestore(cfg config, args []string) error {
	if len(args) != 1 {
		return errUsage
	}
	lock, err := acquireLock(cfg.StorePath + ".lock")
	if err != nil {
		return err
	}
	defer lock.Release()
	backups, err := store.ListBackups(args[0])
	if err != nil {
		return err
	}
	if len(backups) == 0 {
		return fmt.Errorf("no backups in %s", args[0])
	}
	data, err := os.ReadFile(backups[0].Path)
	if err != nil {
		return err
	}
	var snap struct {
		Flags []*flags.Flag `json:"flags"`
	}
	if err := json.Unmarshal(data, &snap); err != nil {
		return fmt.Errorf("%s: %w", backups[0].Path, err)
	}
	st, err := store.Open(cfg.StorePath)
	if err != nil {
		return err
	}
	if err := st.Replace(snap.Flags); err != nil {
		log.Fatalf("restore from %s failed, the store may be incomplete: %v", backups[0].Path, err) // HAZ exit-skips-defer
	}
	fmt.Printf("restored %d flags from %s\n", len(snap.Flags), backups[0].Path)
	return nil
}

// cmdBundle writes a support bundle (local snapshot and audit log) as .tar.gz.
func cmdBundle(cfg config, args []string) (err error) {
	if len(args) != 1 {
		return errUsage
	}
	out, err := os.Create(args[0])
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	for _, path := range []string{cfg.StorePath, cfg.AuditPath} {
		if err := addFile(tw, path); err != nil {
			return fmt.Errorf("bundle %s: %w", path, err)
		}
	}
	return nil
}

func addFile(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(path)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
