package apps

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"example.com/fah31/api"
)

// Prober checks an App's endpoint.
type Prober func(ctx context.Context, addr string) error

// TCPProber dials addr once.
func TCPProber(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return conn.Close()
}

// checkEndpoint probes the App's endpoint but gives up with the reconcile.
func (r *Reconciler) checkEndpoint(ctx context.Context, obj *api.Object, probe Prober) error {
	res := make(chan error)
	go func() {
		res <- probe(ctx, obj.Spec["endpoint"]) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return fmt.Errorf("probe %s: %w", api.KeyOf(obj), ctx.Err())
	}
}

// checkEndpointBuffered is checkEndpoint with room for the late answer.
func (r *Reconciler) checkEndpointBuffered(ctx context.Context, obj *api.Object, probe Prober) error {
	res := make(chan error, 1)
	go func() {
		res <- probe(ctx, obj.Spec["endpoint"])
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return fmt.Errorf("probe %s: %w", api.KeyOf(obj), ctx.Err())
	}
}

// checkEndpointSelect sends under a select on ctx.Done, so the prober
// goroutine can always leave.
func (r *Reconciler) checkEndpointSelect(ctx context.Context, obj *api.Object, probe Prober) error {
	res := make(chan error)
	go func() {
		err := probe(ctx, obj.Spec["endpoint"])
		select {
		case res <- err:
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return fmt.Errorf("probe %s: %w", api.KeyOf(obj), ctx.Err())
	}
}

// markProbed touches the App's probe marker; a failed removal of the old
// marker is reported through the named result.
func (r *Reconciler) markProbed(obj *api.Object) (err error) {
	marker := filepath.Join(r.cleaner.WorkDir(obj), ".probed")
	defer func() {
		if rmErr := os.Remove(marker + ".old"); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			err = errors.Join(err, rmErr)
		}
	}()
	return os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)), 0o644)
}

// rotateMarker writes a fresh marker, keeping the previous one aside
// until the write is done, and tries to report a failed cleanup of it.
func (r *Reconciler) rotateMarker(obj *api.Object) error {
	marker := filepath.Join(r.cleaner.WorkDir(obj), ".probed")
	aside := marker + ".old"
	if err := os.Rename(marker, aside); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(aside); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove old marker: %w", err)
		}
		return nil
	}()
	return os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)), 0o644)
}

// probeBanner dials addr and reads the service banner line.
func probeBanner(ctx context.Context, addr string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetReadDeadline(dl)
	}
	buf := make([]byte, 256)
	n, err := conn.Read(buf)
	return string(buf[:n]), err
}

// probeBannerChecked checks the dial error before deferring the close.
func probeBannerChecked(ctx context.Context, addr string) (string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetReadDeadline(dl)
	}
	buf := make([]byte, 256)
	n, err := conn.Read(buf)
	return string(buf[:n]), err
}
