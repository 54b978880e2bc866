package worker

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/mediatranscoder/internal/encoder"
	"example.com/mediatranscoder/internal/job"
	"example.com/mediatranscoder/internal/metrics"
	"example.com/mediatranscoder/internal/progress"
	"example.com/mediatranscoder/internal/scratch"
	"example.com/mediatranscoder/internal/storage"
	"example.com/mediatranscoder/internal/thumbnail"
)

// Transcoder is the Processor that runs a full transcode: fetch, probe,
// encode every rendition, thumbnails, publish.
type Transcoder struct {
	Runner  *encoder.Runner
	Local   *storage.LocalStore
	Origin  *storage.Origin
	Thumbs  *thumbnail.Generator
	Store   *job.Store
	Tracker *progress.Tracker
	Scratch string
	Options encoder.Options
	Logger  *log.Logger
}

// Process implements Processor.
func (t *Transcoder) Process(ctx context.Context, j *job.Job) error {
	defer t.Store.MarkFinished(j.ID, time.Now()) // HAZ defer-eager-evaluation
	ws, err := scratch.New(t.Scratch, string(j.ID))
	if err != nil {
		return err
	}
	err = t.processIn(ctx, j, ws)
	if cerr := ws.Cleanup(); cerr != nil {
		t.Logger.Printf("job %s: %v", j.ID, cerr)
	}
	return err
}

// ProcessTimed records the wall time of the job when it returns: the
// deferred closure reads the clock at exit.
func (t *Transcoder) ProcessTimed(ctx context.Context, j *job.Job) error {
	start := time.Now()
	defer func() {
		t.Store.MarkFinished(j.ID, time.Now())
		t.Logger.Printf("job %s: finished after %s", j.ID, time.Since(start).Round(time.Millisecond))
	}()
	return scratch.Run(t.Scratch, string(j.ID), func(ws *scratch.Workspace) error {
		return t.processIn(ctx, j, ws)
	})
}

func (t *Transcoder) processIn(ctx context.Context, j *job.Job, ws *scratch.Workspace) error {
	return t.withSourceChecked(ctx, j, ws, func(src string) error {
		res, err := t.Runner.Probe(ctx, src)
		if err != nil {
			return err
		}
		if _, ok := res.VideoStream(); !ok {
			return fmt.Errorf("job %s: source has no video stream", j.ID)
		}
		dur, err := res.Duration()
		if err != nil {
			return err
		}
		outputs, err := t.encodeRenditions(ctx, j, ws, src, dur)
		if err != nil {
			return err
		}
		if j.Request.Thumbnails > 0 {
			if _, err := t.makeThumbnails(ctx, j, src, dur); err != nil {
				t.Logger.Printf("job %s: thumbnails: %v", j.ID, err)
			}
		}
		if err := t.publishOutputs(ctx, j, outputs); err != nil {
			return err
		}
		return t.postProcess(ctx, j, ws, outputs)
	})
}

// withSource makes the job's source available as a local file for fn.
func (t *Transcoder) withSource(ctx context.Context, j *job.Job, ws *scratch.Workspace, fn func(string) error) error {
	var release func()
	src := j.Request.SourcePath
	if key, ok := strings.CutPrefix(src, "origin:"); ok {
		local, rel, err := t.fetchSource(ctx, key, ws)
		if err != nil {
			return err
		}
		src, release = local, rel
	}
	defer release() // HAZ defer-nil-func
	return fn(src)
}

// Reprobe re-runs ffprobe on a job's source for the admin API.
func (t *Transcoder) Reprobe(ctx context.Context, j *job.Job) (*encoder.ProbeResult, error) {
	var res *encoder.ProbeResult
	err := scratch.Run(t.Scratch, string(j.ID)+"-probe", func(ws *scratch.Workspace) error {
		return t.withSource(ctx, j, ws, func(src string) error {
			var err error
			res, err = t.Runner.Probe(ctx, src)
			return err
		})
	})
	return res, err
}

// withSourceChecked starts from a no-op release, replaced before the defer
// is registered, so the deferred call is never nil and never stale.
func (t *Transcoder) withSourceChecked(ctx context.Context, j *job.Job, ws *scratch.Workspace, fn func(string) error) error {
	release := func() {}
	src := j.Request.SourcePath
	if key, ok := strings.CutPrefix(src, "origin:"); ok {
		local, rel, err := t.fetchSource(ctx, key, ws)
		if err != nil {
			return err
		}
		src, release = local, rel
	}
	defer release()
	return fn(src)
}

func (t *Transcoder) fetchSource(ctx context.Context, key string, ws *scratch.Workspace) (string, func(), error) {
	dst := ws.Path("source" + filepath.Ext(key))
	if _, err := t.Origin.FetchToFile(ctx, key, dst); err != nil {
		return "", nil, fmt.Errorf("fetch source %s: %w", key, err)
	}
	return dst, func() { _ = os.Remove(dst) }, nil
}

// encodeRenditions encodes all renditions in parallel.
func (t *Transcoder) encodeRenditions(ctx context.Context, j *job.Job, ws *scratch.Workspace, src string, dur time.Duration) (outs []encoder.Output, err error) {
	defer t.recoverStage(j, "encode", &err)
	renditions := j.Request.Renditions
	outs = make([]encoder.Output, len(renditions))
	errs := make([]error, len(renditions))
	var wg sync.WaitGroup
	for i, r := range renditions {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			outs[i], errs[i] = t.encodeOne(ctx, j, ws, src, r, dur)
		}()
	}
	wg.Wait()
	return outs, errors.Join(errs...)
}

// recoverStage is deferred directly by the stages, so its recover() stops
// their panics.
func (t *Transcoder) recoverStage(j *job.Job, stage string, errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("job %s: %s stage panicked: %v", j.ID, stage, r)
	}
}

func (t *Transcoder) encodeOne(ctx context.Context, j *job.Job, ws *scratch.Workspace, src string, r job.Rendition, dur time.Duration) (encoder.Output, error) {
	defer metrics.Trace(t.Logger, "encode "+string(j.ID)+"/"+r.Name) // HAZ defer-func-result-not-called
	dst := ws.Path(r.Name + ".mp4")
	args := encoder.BuildArgs(src, dst, r, t.Options)
	err := t.Runner.TranscodeSync(ctx, args, func(p encoder.Progress) {
		t.Tracker.Publish(progress.Update{JobID: j.ID, Stage: "encode:" + r.Name, Percent: encoder.Percent(p, dur)})
	})
	if err != nil {
		return encoder.Output{}, fmt.Errorf("rendition %s: %w", r.Name, err)
	}
	st, err := os.Stat(dst)
	if err != nil {
		return encoder.Output{}, err
	}
	return encoder.Output{Name: r.Name, Path: dst, Size: st.Size()}, nil
}

// makeThumbnails protects itself and its helper goroutine separately: the
// goroutine recovers on its own and reports through a buffered channel, so
// it can finish even when the caller has gone on ctx.Done().
func (t *Transcoder) makeThumbnails(ctx context.Context, j *job.Job, src string, dur time.Duration) (paths []string, err error) {
	defer t.recoverStage(j, "thumbnails", &err)
	type result struct {
		paths []string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		var res result
		func() {
			defer func() {
				if r := recover(); r != nil {
					res.err = fmt.Errorf("thumbnail generator panicked: %v", r)
				}
			}()
			res.paths, res.err = t.Thumbs.Generate(ctx, src, thumbnail.FrameTimes(dur, j.Request.Thumbnails))
		}()
		done <- res
	}()
	select {
	case r := <-done:
		return r.paths, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (t *Transcoder) publishOutputs(ctx context.Context, j *job.Job, outputs []encoder.Output) error {
	var err error
	defer t.finishStage(j.ID, "publish", err) // HAZ defer-eager-evaluation
	prefix := path.Join(j.Request.OutputKey, string(j.ID))
	err = encoder.PublishRenditionsArg(ctx, t.Origin, prefix, outputs)
	if err != nil {
		return err
	}
	for _, o := range outputs {
		key := prefix + "/" + o.Name + ".mp4"
		if _, err = t.Local.PutFile(key, o.Path); err != nil {
			return err
		}
		t.Store.AddOutput(j.ID, key)
	}
	return nil
}

func (t *Transcoder) finishStage(id job.ID, stage string, err error) {
	u := progress.Update{JobID: id, Stage: stage, Percent: 100}
	if err != nil {
		u.Err = err.Error()
	}
	t.Tracker.Publish(u)
}

// writeManifest reports the stage with the final error: the closure reads
// the named result when it runs.
func (t *Transcoder) writeManifest(j *job.Job, ws *scratch.Workspace, outputs []encoder.Output) (err error) {
	defer func() { t.finishStage(j.ID, "manifest", err) }()
	m := &storage.Manifest{JobID: string(j.ID), Created: time.Now().UTC(), Source: j.Request.SourcePath}
	for _, o := range outputs {
		sum, err := t.Local.Checksum(path.Join(j.Request.OutputKey, string(j.ID), o.Name+".mp4"))
		if err != nil {
			return err
		}
		m.Renditions = append(m.Renditions, storage.ManifestEntry{Name: o.Name, Size: o.Size, SHA256: sum})
	}
	return storage.WriteManifest(ws.Path("manifest.json"), m)
}

// postProcess writes the manifest and the archive concurrently.
func (t *Transcoder) postProcess(ctx context.Context, j *job.Job, ws *scratch.Workspace, outputs []encoder.Output) error {
	return runAll(ctx, []func(context.Context) error{
		func(context.Context) error { return t.writeManifest(j, ws, outputs) },
		func(context.Context) error { return storage.ArchiveDir(ws.Dir, ws.Path("bundle.tar.gz")+".part") },
	})
}

// VerifyOutputs checks every output exists on the origin.
func (t *Transcoder) VerifyOutputs(ctx context.Context, keys []string) error {
	tasks := make([]func(context.Context) error, 0, len(keys))
	for _, k := range keys {
		tasks = append(tasks, func(ctx context.Context) error {
			ok, err := t.Origin.Exists(ctx, k)
			if err == nil && !ok {
				err = fmt.Errorf("output %s missing on origin", k)
			}
			return err
		})
	}
	return runParallel(ctx, tasks)
}

// runParallel runs independent tasks and returns the first error.
func runParallel(ctx context.Context, tasks []func(context.Context) error) error {
	errc := make(chan error, len(tasks))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, task := range tasks {
		go func() { errc <- task(ctx) }()
	}
	for range tasks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// runAll closes its channel with a defer too, but only after wg.Wait has
// joined every sender.
func runAll(ctx context.Context, tasks []func(context.Context) error) error {
	errc := make(chan error, len(tasks))
	defer close(errc)
	var wg sync.WaitGroup
	for _, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := task(ctx); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}
