package admin

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/githost/internal/storage"
)

// timed prints how long a command took; use as: defer c.timed("what")().
func (c *CLI) timed(what string) func() {
	start := time.Now()
	return func() {
		fmt.Fprintf(c.Out, "%s took %v\n", what, time.Since(start).Round(time.Millisecond))
	}
}

// cmdRepack repacks one repository into a single pack, holding off pushes.
func (c *CLI) cmdRepack(args []string) int {
	if len(args) != 1 {
		c.errorf("usage: repack NAME")
		return 2
	}
	name := args[0]
	defer c.timed("repack " + name) // HAZ defer-func-result-not-called
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	err := c.Store.WithRepoWrite(name, func(r *storage.Repo) error {
		_, err := c.Git.Output(ctx, r.Path, "repack", "-a", "-d", "-q", "--write-bitmap-index")
		return err
	})
	if err != nil {
		c.errorf("repack %s: %v", name, err)
		return 1
	}
	return 0
}

// cmdPackRefs packs the loose refs of one repository.
func (c *CLI) cmdPackRefs(args []string) int {
	if len(args) != 1 {
		c.errorf("usage: pack-refs NAME")
		return 2
	}
	defer c.timed("pack-refs " + args[0])()
	err := c.Store.WithRepoWrite(args[0], func(r *storage.Repo) error {
		_, err := c.Git.Output(context.Background(), r.Path, "pack-refs", "--all", "--prune")
		return err
	})
	if err != nil {
		c.errorf("pack-refs %s: %v", args[0], err)
		return 1
	}
	return 0
}

// cmdVerifyPacks checks that every pack of a repository is a pack file and has its index.
func (c *CLI) cmdVerifyPacks(args []string) int {
	if len(args) != 1 {
		c.errorf("usage: verify-packs NAME")
		return 2
	}
	repo, err := c.Store.Get(args[0])
	if err != nil {
		c.errorf("verify-packs: %v", err)
		return 1
	}
	packs, err := filepath.Glob(filepath.Join(repo.Path, "objects", "pack", "*.pack"))
	if err != nil {
		c.errorf("verify-packs: %v", err)
		return 1
	}
	bad := 0
	for _, p := range packs {
		f, err := os.Open(p)
		if err != nil {
			c.errorf("%v", err)
			bad++
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		hdr := make([]byte, 12)
		if _, err := io.ReadFull(f, hdr); err != nil || string(hdr[:4]) != "PACK" {
			c.errorf("%s: not a pack file", p)
			bad++
			continue
		}
		if _, err := os.Stat(strings.TrimSuffix(p, ".pack") + ".idx"); err != nil {
			c.errorf("%s: missing index", p)
			bad++
		}
	}
	fmt.Fprintf(c.Out, "%s: %d packs, %d bad\n", repo.Name, len(packs), bad)
	if bad > 0 {
		return 1
	}
	return 0
}

// packHeader reads the 12-byte header of one pack file.
func packHeader(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	hdr := make([]byte, 12)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return nil, err
	}
	return hdr, nil
}

// cmdCountObjects prints the pack versions of every pack of a repository.
func (c *CLI) cmdCountObjects(args []string) int {
	if len(args) != 1 {
		c.errorf("usage: count-objects NAME")
		return 2
	}
	repo, err := c.Store.Get(args[0])
	if err != nil {
		c.errorf("count-objects: %v", err)
		return 1
	}
	packs, _ := filepath.Glob(filepath.Join(repo.Path, "objects", "pack", "*.pack"))
	for _, p := range packs {
		hdr, err := packHeader(p)
		if err != nil {
			c.errorf("%s: %v", p, err)
			continue
		}
		n := uint32(hdr[8])<<24 | uint32(hdr[9])<<16 | uint32(hdr[10])<<8 | uint32(hdr[11])
		fmt.Fprintf(c.Out, "%s: version %d, %d objects\n", filepath.Base(p), hdr[7], n)
	}
	return 0
}

// cmdFsckAll checks every repository in parallel.
func (c *CLI) cmdFsckAll(args []string) int {
	set := newFlagSet("fsck-all", c.Err)
	all := set.Bool("all", false, "also check protected (archived) repositories")
	if err := set.Parse(args); err != nil {
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Hour)
	defer cancel()
	var failed atomic.Int32
	var wg sync.WaitGroup
	for _, r := range c.Store.List() {
		wg.Add(1)
		go func() {
			if !*all && c.Store.IsProtected(r.Name) {
				return // archived repositories are only checked with -all
			}
			if _, err := c.Git.Output(ctx, r.Path, "fsck", "--no-progress"); err != nil {
				c.errorf("fsck %s: %v", r.Name, err)
				failed.Add(1)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	if failed.Load() > 0 {
		return 1
	}
	return 0
}

// cmdVerifyAll runs a connectivity check on every repository.
func (c *CLI) cmdVerifyAll(args []string) int {
	if len(args) != 0 {
		c.errorf("usage: verify-all")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	code := 0
	for _, err := range c.Store.VerifyAll(ctx) {
		if err != nil {
			c.errorf("%v", err)
			code = 1
		}
	}
	return code
}

// cmdReport writes a CSV report of every repository to standard output.
func (c *CLI) cmdReport(args []string) int {
	if len(args) != 0 {
		c.errorf("usage: report")
		return 2
	}
	cw := csv.NewWriter(c.Out)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"name", "path", "protected", "last_push"}); err != nil {
		c.errorf("report: %v", err)
		return 1
	}
	for _, ri := range c.Store.Snapshot() {
		last := ""
		if !ri.LastPush.IsZero() {
			last = ri.LastPush.UTC().Format(time.RFC3339)
		}
		if err := cw.Write([]string{ri.Name, ri.Path, strconv.FormatBool(ri.Protected), last}); err != nil {
			c.errorf("report: %v", err)
			return 1
		}
	}
	return 0
}

// cmdReportFile writes the CSV report to a file.
func (c *CLI) cmdReportFile(args []string) int {
	if len(args) != 1 {
		c.errorf("usage: report-file FILE")
		return 2
	}
	if err := writeReport(args[0], c.Store.Snapshot()); err != nil {
		c.errorf("report-file: %v", err)
		return 1
	}
	return 0
}

// writeReport writes infos as CSV to path, reporting every write error.
func writeReport(path string, infos []storage.RepoInfo) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	cw.Write([]string{"name", "path", "protected", "last_push"})
	for _, ri := range infos {
		cw.Write([]string{ri.Name, ri.Path, strconv.FormatBool(ri.Protected), ri.LastPush.UTC().Format(time.RFC3339)})
	}
	cw.Flush()
	return cw.Error()
}
