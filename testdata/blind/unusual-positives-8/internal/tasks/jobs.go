package tasks

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"example.com/up8/internal/fsutil"
)

// Job is a unit of queued work whose input lives in a file.
type Job struct {
	ID    string
	Input string
}

// Consume executes jobs from queue, streaming each job's input file to handle.
func (p *Pipeline) Consume(queue <-chan Job, handle func(Job, io.Reader) error) {
	for job := range queue {
		in, err := fsutil.Open(job.Input)
		if err != nil {
			p.logger.Printf("job %s: %v", job.ID, err)
			continue
		}
		defer in.Close() // HAZ defer-in-loop defer-in-infinite-loop
		if err := handle(job, in); err != nil {
			p.logger.Printf("job %s: %v", job.ID, err)
		}
	}
}

// Serve executes jobs from queue until ctx ends or queue is closed.
func (p *Pipeline) Serve(ctx context.Context, queue <-chan Job, handle func(Job, io.Reader) error) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case job, ok := <-queue:
			if !ok {
				return nil
			}
			if err := p.handleJob(job, handle); err != nil {
				p.logger.Printf("job %s: %v", job.ID, err)
			}
		}
	}
}

func (p *Pipeline) handleJob(job Job, handle func(Job, io.Reader) error) error {
	in, err := fsutil.Open(job.Input)
	if err != nil {
		return err
	}
	defer in.Close()
	return handle(job, in)
}

// Tasks returns one deferred-execution function per step input found in dir;
// the scheduler runs them later, in any order.
func (p *Pipeline) Tasks(dir string, handle func(name string, r io.Reader) error) []func() error {
	var tasks []func() error
	for _, s := range p.Steps() {
		tasks = append(tasks, func() error {
			f, err := fsutil.Open(filepath.Join(dir, s.Name+".in"))
			if err != nil {
				return fmt.Errorf("task %s: %w", s.Name, err)
			}
			defer f.Close()
			return handle(s.Name, f)
		})
	}
	return tasks
}

// Reports returns the report writers the CLI offers, keyed by name. They run
// after the pipeline finished.
func (p *Pipeline) Reports(logDir string) map[string]func(w io.Writer) error {
	return map[string]func(w io.Writer) error{
		"summary": func(w io.Writer) error {
			st := p.State()
			_, err := fmt.Fprintf(w, "%s: %d done, %d failed\n", st.Pipeline, len(st.Done), len(st.Failed))
			return err
		},
		"logs": func(w io.Writer) error {
			for _, name := range p.State().Done {
				lf, err := fsutil.Open(filepath.Join(logDir, name+".log"))
				if err != nil {
					return err
				}
				defer lf.Close() // HAZ defer-in-loop
				if _, err := io.Copy(w, lf); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// RunReport runs the named report from Reports, if it exists.
func (p *Pipeline) RunReport(name, logDir string, w io.Writer) error {
	report, ok := p.Reports(logDir)[name]
	if !ok {
		return fmt.Errorf("no report %q", name)
	}
	defer p.tracer.Start("report " + name)()
	return report(w)
}

// CleanupFor runs the cleanup registered for the named step, if any, once
// fn returns.
func (p *Pipeline) CleanupFor(ctx context.Context, name string, fn func(context.Context) error) error {
	if cleanup, ok := p.cleanups[name]; ok {
		defer cleanup()
	}
	return fn(ctx)
}
