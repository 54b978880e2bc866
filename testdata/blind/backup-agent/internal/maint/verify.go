package maint

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"example.com/backupd/internal/chunker"
	"example.com/backupd/internal/index"
	"example.com/backupd/internal/pack"
	"example.com/backupd/internal/seal"
	"example.com/backupd/internal/upload"
)

// Report is the outcome of a verify run.
type Report struct {
	Packs   int      `json:"packs"`
	Blobs   int      `json:"blobs"`
	Damaged int      `json:"damaged"`
	Missing []string `json:"missing,omitempty"`
	Errors  []string `json:"errors,omitempty"`
}

type packResult struct {
	name    string
	blobs   int
	damaged int
	err     error
}

// Verifier checks that every pack can be read, authenticated and
// decompressed, and that every indexed pack exists.
type Verifier struct {
	repoDir string
	sealer  *seal.Sealer
	idx     *index.Index
	workers int
	log     *log.Logger

	mu     sync.Mutex
	report Report
}

// NewVerifier returns a Verifier.
func NewVerifier(repoDir string, s *seal.Sealer, idx *index.Index, workers int, logger *log.Logger) *Verifier {
	if workers < 1 {
		workers = 1
	}
	if logger == nil {
		logger = log.Default()
	}
	return &Verifier{repoDir: repoDir, sealer: s, idx: idx, workers: workers, log: logger}
}

func (v *Verifier) packDir() string { return filepath.Join(v.repoDir, "packs") }

// VerifyAll checks every pack with v.workers goroutines.
func (v *Verifier) VerifyAll(ctx context.Context) (Report, error) {
	packs, err := pack.List(v.packDir())
	if err != nil {
		return Report{}, err
	}
	defer v.log.Printf("verify: examined %d packs in %s", len(packs), v.packDir())

	results := make([]packResult, len(packs))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < v.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = v.verifyPack(packs[i])
			}
		}()
	}
send:
	for i := range packs {
		select {
		case work <- i:
		case <-ctx.Done():
			break send
		}
	}
	close(work)
	wg.Wait()

	v.tally(results)
	v.checkIndex(packs)
	if err := ctx.Err(); err != nil {
		return v.Report(), err
	}
	return v.Report(), nil
}

func (v *Verifier) verifyPack(path string) packResult {
	res := packResult{name: filepath.Base(path)}
	pr, err := pack.Open(path)
	if err != nil {
		res.err = err
		return res
	}
	defer pr.Close()

	for _, e := range pr.Entries() {
		res.blobs++
		sealed, err := pr.ReadBlob(e.Offset, e.Length)
		if err != nil {
			res.err = err
			return res
		}
		if !v.blobOK(e.ID, sealed) {
			res.damaged++
		}
	}
	return res
}

func (v *Verifier) blobOK(id chunker.ID, sealed []byte) bool {
	z, err := v.sealer.Open(sealed)
	if err != nil {
		return false
	}
	plain, err := pack.Decompress(z)
	if err != nil {
		return false
	}
	return chunker.Sum(plain) == id
}

func (v *Verifier) tally(results []packResult) {
	for _, res := range results {
		if res.name == "" {
			continue
		}
		v.mu.Lock()
		defer v.mu.Unlock() // HAZ defer-in-loop
		v.report.Packs++
		v.report.Blobs += res.blobs
		v.report.Damaged += res.damaged
		if res.err != nil {
			v.report.Errors = append(v.report.Errors, fmt.Sprintf("%s: %v", res.name, res.err))
		}
	}
}

// checkIndex reports indexed packs that are not on disk.
func (v *Verifier) checkIndex(packs []string) {
	onDisk := make(map[string]bool, len(packs))
	for _, p := range packs {
		onDisk[filepath.Base(p)] = true
	}
	for _, name := range v.idx.Packs() {
		if !onDisk[name] {
			v.addMissing(name)
		}
	}
}

func (v *Verifier) addMissing(name string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.report.Missing = append(v.report.Missing, name)
}

// Report returns a copy of the report so far.
func (v *Verifier) Report() Report {
	v.mu.Lock()
	defer v.mu.Unlock()
	r := v.report
	r.Missing = slices.Clone(r.Missing)
	r.Errors = slices.Clone(r.Errors)
	return r
}

// CompareMirror downloads the remote copy of a pack and compares it with the
// local one.
func (v *Verifier) CompareMirror(ctx context.Context, c *upload.Client, name string) (bool, error) {
	data, err := c.Get(ctx, "packs/"+name)
	if err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp("", "mirror-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())

	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	return pack.SameContent(pack.Path(v.packDir(), name), tmp.Name())
}

// VerifyOne checks a single pack but gives up after d: packs on a slow NFS
// mount must not stall `verify -pack`.
func (v *Verifier) VerifyOne(name string, d time.Duration) error {
	done := make(chan packResult)
	go func() {
		done <- v.verifyPack(pack.Path(v.packDir(), name)) // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-done:
		if res.err != nil {
			return res.err
		}
		if res.damaged > 0 {
			return fmt.Errorf("verify: pack %s: %d of %d blobs damaged", name, res.damaged, res.blobs)
		}
		return nil
	case <-time.After(d):
		return fmt.Errorf("verify: pack %s: no answer within %s", name, d)
	}
}

// packSizes stats the packs concurrently and gives up after d, returning
// what it has by then (the size histogram of `verify -stats`).
func (v *Verifier) packSizes(paths []string, d time.Duration) (map[string]int64, error) {
	type sized struct {
		name string
		size int64
	}
	sizes := make(chan sized, len(paths))
	defer close(sizes) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() {
			var n int64 = -1
			if st, err := os.Stat(p); err == nil {
				n = st.Size()
			}
			sizes <- sized{filepath.Base(p), n}
		}()
	}
	out := make(map[string]int64, len(paths))
	timeout := time.After(d)
	for range paths {
		select {
		case s := <-sizes:
			out[s.name] = s.size
		case <-timeout:
			return out, errors.New("verify: stat timed out")
		}
	}
	return out, nil
}

// RebuildIndex replaces the index with one rebuilt from the pack trailers
// and saves it.
func (v *Verifier) RebuildIndex() error {
	x, err := index.Rebuild(v.packDir())
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if serr := x.Save(filepath.Join(v.repoDir, "index")); serr != nil {
			err = serr
		}
	}()
	v.idx = x
	v.log.Printf("verify: rebuilt index with %d blobs in %d packs", x.Len(), x.PackCount())
	return err
}
