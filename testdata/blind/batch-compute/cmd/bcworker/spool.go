package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/batchcompute/internal/numeric"
	"example.com/batchcompute/internal/output"
)

type jobSpec struct {
	ID      string    `json:"id"`
	Values  []float64 `json:"values"`
	Bins    int       `json:"bins"`
	Scratch bool      `json:"scratch"`
}

func readSpec(path string) (jobSpec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return jobSpec{}, err
	}
	var spec jobSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return jobSpec{}, fmt.Errorf("%s: %w", path, err)
	}
	if spec.ID == "" {
		spec.ID = strings.TrimSuffix(filepath.Base(path), ".job")
	}
	return spec, nil
}

// listJobs returns the *.job files of the spool in name order.
func listJobs(spool string) ([]string, error) {
	entries, err := os.ReadDir(spool)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".job") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// claim moves a job file into the running directory after checking that it is readable.
func claim(spool, name string) string {
	src := filepath.Join(spool, name)
	f, err := os.Open(src)
	if err != nil {
		die("claim %s: %v", name, err)
	}
	defer f.Close()
	var probe [1]byte
	if _, err := f.Read(probe[:]); err != nil && !errors.Is(err, io.EOF) {
		die("claim %s: unreadable: %v", name, err) // HAZ exit-skips-defer
	}
	dst := filepath.Join(spool, "running", name)
	if err := os.Rename(src, dst); err != nil {
		return ""
	}
	return dst
}

// processSpool runs every job currently in the spool and returns how many it ran.
func processSpool(spool, outDir string) (int, error) {
	names, err := listJobs(spool)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Join(spool, "running"), 0o755); err != nil {
		return 0, err
	}
	var errs []error
	ran := 0
	for _, name := range names {
		path := claim(spool, name)
		if path == "" {
			continue
		}
		if err := processOne(path, outDir); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		ran++
	}
	return ran, errors.Join(errs...)
}

// processOne computes the histogram and summary of one job and writes them as CSV.
func processOne(path, outDir string) error {
	spec, err := readSpec(path)
	if err != nil {
		return err
	}
	var cleanup func()
	scratch := outDir
	if spec.Scratch {
		dir, err := os.MkdirTemp("", "bcworker-*")
		if err != nil {
			return err
		}
		scratch = dir
		cleanup = func() { os.Remove(dir) }
	}
	defer cleanup() // HAZ defer-nil-func
	lo, hi, ok := numeric.MinMax(spec.Values)
	if !ok {
		return fmt.Errorf("job %s has no values", spec.ID)
	}
	rec := output.Record{Key: spec.ID, N: int64(len(spec.Values)), Mean: numeric.Mean(spec.Values),
		Std: numeric.Variance(spec.Values), Min: lo, Max: hi}
	tmp := filepath.Join(scratch, spec.ID+".csv.tmp")
	if err := output.WriteCSVFile(tmp, []output.Record{rec}); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(outDir, spec.ID+".csv"))
}

// processOneScratch is processOne with a no-op cleanup installed before the defer.
func processOneScratch(path, outDir string) error {
	spec, err := readSpec(path)
	if err != nil {
		return err
	}
	cleanup := func() {}
	scratch := outDir
	if spec.Scratch {
		dir, err := os.MkdirTemp("", "bcworker-*")
		if err != nil {
			return err
		}
		scratch = dir
		cleanup = func() { os.Remove(dir) }
	}
	defer cleanup()
	hist := numeric.Histogram(spec.Values, 0, 1, max(spec.Bins, 1))
	tmp := filepath.Join(scratch, spec.ID+".hist.json")
	if err := output.WriteJSONFileChecked(tmp, hist); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(outDir, spec.ID+".hist.json"))
}

// getOK issues a GET and returns the response only when the status is 200.
func getOK(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return resp, nil
}

// fetchSpecs downloads job specs from the coordinator.
func fetchSpecs(url string) ([]jobSpec, error) {
	resp, err := getOK(context.Background(), url)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var specs []jobSpec
	err = json.NewDecoder(resp.Body).Decode(&specs)
	return specs, err
}

// fetchSpecsBounded downloads job specs with a deadline and checks the error first.
func fetchSpecsBounded(ctx context.Context, url string) ([]jobSpec, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("coordinator: %s", resp.Status)
	}
	var specs []jobSpec
	if err := json.NewDecoder(resp.Body).Decode(&specs); err != nil {
		return nil, err
	}
	return specs, nil
}

// seedSpool writes every spec fetched from the coordinator into the spool.
func seedSpool(url, spool string) error {
	specs, err := fetchSpecsBounded(context.Background(), url)
	if err != nil {
		specs, err = fetchSpecs(url)
		if err != nil {
			return err
		}
	}
	for _, spec := range specs {
		data, err := json.Marshal(spec)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(spool, spec.ID+".job"), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// followLog echoes everything appended to path into w, reopening it every interval.
func followLog(path string, w io.Writer, every time.Duration) {
	var offset int64
	for {
		f, err := os.Open(path)
		if err != nil {
			time.Sleep(every)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop defer-in-loop
		if _, err := f.Seek(offset, io.SeekStart); err == nil {
			n, _ := io.Copy(w, f)
			offset += n
		}
		time.Sleep(every)
	}
}

// followOnce echoes what was appended to path since offset and returns the new offset.
func followOnce(path string, w io.Writer, offset int64) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return offset, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return offset, err
	}
	n, err := io.Copy(w, f)
	return offset + n, err
}

// followLogBounded is followLog with one helper call, and so one close, per poll, and
// with an exit when ctx ends.
func followLogBounded(ctx context.Context, path string, w io.Writer, every time.Duration) error {
	var offset int64
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		var err error
		offset, err = followOnce(path, w, offset)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
