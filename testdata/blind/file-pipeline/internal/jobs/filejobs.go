package jobs

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"example.com/filepipeline/internal/archive"
	"example.com/filepipeline/internal/checksum"
	"example.com/filepipeline/internal/convert"
	"example.com/filepipeline/internal/fsutil"
	"example.com/filepipeline/internal/walk"
)

// Track logs the start of name and returns the func that logs its end:
// defer Track(logger, "x")().
func Track(logger *log.Logger, name string) func() {
	start := time.Now()
	logger.Printf("%s: started", name)
	return func() {
		logger.Printf("%s: finished in %v", name, time.Since(start).Round(time.Millisecond))
	}
}

// FromSpec builds the job for a spec line; the spec ID names the file or
// directory the job works on.
func FromSpec(s Spec) Job {
	j := Job{ID: s.ID, Kind: s.Kind}
	switch s.Kind {
	case "gzip":
		j.Run = gzipJob(s.ID)
	case "checksum":
		j.Run = checksumJob(s.ID)
	case "convert":
		j.Run = convertJob(s.ID)
	case "prune":
		j.Run = pruneJob(s.ID, 7*24*time.Hour)
	default:
		kind := s.Kind
		j.Run = func(context.Context) error { return fmt.Errorf("jobs: unknown kind %q", kind) }
	}
	if s.Timeout > 0 {
		j.Run = withTimeout(j.Run, s.Timeout)
	}
	return j
}

func withTimeout(run func(context.Context) error, d time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return run(ctx)
	}
}

func gzipJob(path string) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := archive.GzipFile(path)
		return err
	}
}

// checksumJob writes path.sha256 next to path, under a per-file lock.
func checksumJob(path string) func(context.Context) error {
	return func(ctx context.Context) error {
		defer Track(log.Default(), "checksum "+path)()
		return fsutil.Locked(path+".lock", func() error {
			sum, err := checksum.SumWithContext(ctx, path)
			if err != nil {
				return err
			}
			return fsutil.WriteFileAtomic(path+".sha256", []byte(sum.String()+"\n"), 0o644)
		})
	}
}

func convertJob(dir string) func(context.Context) error {
	return func(ctx context.Context) error {
		n, err := convert.ConvertDir(dir)
		if err == nil {
			log.Printf("convert %s: %d files", dir, n)
		}
		return err
	}
}

// pruneJob removes the files under dir older than maxAge, except lock files.
func pruneJob(dir string, maxAge time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		cutoff := time.Now().Add(-maxAge)
		for path := range walk.Paths(walk.OlderThan(walk.Files(dir), cutoff)) {
			if err := ctx.Err(); err != nil {
				return err
			}
			if strings.HasSuffix(path, ".lock") {
				continue
			}
			if err := os.Remove(path); err != nil {
				return err
			}
		}
		return nil
	}
}

// LoadSpecs reads a job file and returns the valid specs and the numbers of
// the lines that were not.
func LoadSpecs(path string) (specs []Spec, bad []int) {
	for n, line := range walk.ReadLines(path) {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		spec, err := ParseSpecStrict(line)
		if err != nil {
			bad = append(bad, n)
			continue
		}
		specs = append(specs, spec)
	}
	return specs, bad
}
