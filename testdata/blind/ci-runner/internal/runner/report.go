package runner

import (
	"time"

	"example.com/cirunner/internal/executor"
	"example.com/cirunner/internal/job"
	"example.com/cirunner/internal/logstream"
)

// jobReport collects the outcome of one job's steps.
type jobReport struct {
	ID       string
	Started  time.Time
	Finished time.Time
	Steps    []executor.Result
	Err      error
}

func (rep *jobReport) markFinished(t time.Time) {
	rep.Finished = t
}

func (rep *jobReport) status() job.Status {
	if rep.Err != nil {
		return job.Failed
	}
	return job.Succeeded
}

func (rep *jobReport) summary() logstream.Summary {
	sum := logstream.Summary{
		JobID:    rep.ID,
		Status:   string(rep.status()),
		Started:  rep.Started,
		Finished: rep.Finished,
	}
	if rep.Err != nil {
		sum.Error = rep.Err.Error()
	}
	for _, s := range rep.Steps {
		sum.Steps = append(sum.Steps, logstream.StepSummary{Name: s.Step, ExitCode: s.ExitCode, Duration: s.Duration})
	}
	return sum
}
