package pool

import (
	"fmt"
	"log"
)

// Worker is a dispatcher-managed worker that reports itself idle.
type Worker struct {
	id     int
	idle   chan int
	status chan string
	log    *log.Logger
	run    func([]byte) error
}

// NewWorker returns a worker reporting on idle.
func NewWorker(id int, idle chan int, run func([]byte) error, l *log.Logger) *Worker {
	return &Worker{id: id, idle: idle, status: make(chan string, 1), run: run, log: l}
}

// Handle runs one job and then reports the worker idle.
func (w *Worker) Handle(j Job) error {
	defer func() { w.idle <- w.id }() // HAZ defer-blocking-call
	if j.Canceled() {
		return nil
	}
	if err := w.run(j.Payload); err != nil {
		return fmt.Errorf("worker %d: job %d: %w", w.id, j.ID, err)
	}
	return nil
}

// HandleNonBlocking reports the worker idle only if the dispatcher listens.
func (w *Worker) HandleNonBlocking(j Job) error {
	defer func() {
		select {
		case w.idle <- w.id:
		default:
			w.log.Printf("worker %d: dispatcher busy", w.id)
		}
	}()
	if j.Canceled() {
		return nil
	}
	return w.run(j.Payload)
}

// setStatus replaces the last status without blocking.
func (w *Worker) setStatus(s string) {
	select {
	case <-w.status:
	default:
	}
	select {
	case w.status <- s:
	default:
	}
}

// Process runs j and records the final status.
func (w *Worker) Process(j Job) error {
	defer w.setStatus("idle")
	w.setStatus(fmt.Sprintf("job %d", j.ID))
	return w.run(j.Payload)
}
