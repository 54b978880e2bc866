//go:build unix

package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
)

// CheckSockets dials every unix socket concurrently and joins the failures.
func (p *Prober) CheckSockets(ctx context.Context, paths []string) error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d net.Dialer
			conn, err := d.DialContext(ctx, "unix", path)
			if err == nil {
				err = conn.Close()
			}
			if err != nil {
				errs[i] = fmt.Errorf("probe: %s: %w", path, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
