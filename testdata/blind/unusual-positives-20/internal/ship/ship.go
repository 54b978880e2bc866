// Package ship uploads the spool export file to the collector.
package ship

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

// Shipper periodically POSTs one file to a collector URL.
type Shipper struct {
	path   string
	url    string
	every  time.Duration
	client *http.Client
	logger *log.Logger

	afterShip func()
}

// New returns a Shipper for the file at path.
func New(path, url string, every time.Duration, logger *log.Logger) *Shipper {
	return &Shipper{path: path, url: url, every: every, client: &http.Client{}, logger: logger}
}

// ship uploads the content of f, bounded by a 30 second timeout.
func (s *Shipper) ship(ctx context.Context, f *os.File) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, f)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("ship: collector said %s", resp.Status)
	}
	return nil
}

// OnShipped registers fn to run after every upload attempt.
func (s *Shipper) OnShipped(fn func()) { s.afterShip = fn }

// ShipNotify is ShipOnce followed by the OnShipped hook.
func (s *Shipper) ShipNotify(ctx context.Context) error {
	defer s.afterShip() // HAZ defer-nil-func
	return s.ShipOnce(ctx)
}

// ShipFiles uploads several files; the OnShipped hook, if any, runs once at
// the end.
func (s *Shipper) ShipFiles(ctx context.Context, paths []string) error {
	if s.afterShip != nil {
		defer s.afterShip()
	}
	for _, p := range paths {
		if err := s.shipPath(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// shipPath uploads one file, opened read-only.
func (s *Shipper) shipPath(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.ship(ctx, f)
}

// ShipOnce uploads the export file if there is one.
func (s *Shipper) ShipOnce(ctx context.Context) error {
	f, err := os.Open(s.path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	defer f.Close()
	return s.ship(ctx, f)
}

// Loop ships the export file on every tick until ctx is cancelled.
func (s *Shipper) Loop(ctx context.Context) {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for range t.C {
		f, err := os.Open(s.path)
		if err != nil {
			s.logger.Printf("ship: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		select {
		case <-ctx.Done():
			s.logger.Printf("ship: stopping: %v", ctx.Err())
			break
		default:
		}
		if err := s.ship(ctx, f); err != nil {
			s.logger.Printf("ship: %v", err)
		}
	}
}

// Run is Loop done right: it returns when ctx is cancelled and every file
// is closed within its own tick.
func (s *Shipper) Run(ctx context.Context) error {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if err := s.ShipOnce(ctx); err != nil {
			s.logger.Printf("ship: %v", err)
		}
	}
}
