package client

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sync"

	"example.com/ftpsrv/internal/protocol"
)

// Store uploads r as name.
func (c *Client) Store(ctx context.Context, name string, r io.Reader) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dc, err := c.pasvLocked(ctx)
	if err != nil {
		return 0, err
	}
	defer dc.Close()
	if _, err := c.cmdLocked(protocol.CodeDataOpen, "STOR %s", name); err != nil {
		return 0, err
	}
	n, err := io.Copy(dc, r)
	if err != nil {
		return n, err
	}
	// Closing the data connection is what tells the server the file is
	// complete; only then does it send 226.
	if err := dc.Close(); err != nil {
		return n, err
	}
	_, err = c.readLocked(protocol.CodeTransferDone)
	return n, err
}

// Retrieve downloads name into w.
func (c *Client) Retrieve(ctx context.Context, name string, w io.Writer) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dc, err := c.pasvLocked(ctx)
	if err != nil {
		return 0, err
	}
	defer dc.Close()
	if _, err := c.cmdLocked(protocol.CodeDataOpen, "RETR %s", name); err != nil {
		return 0, err
	}
	n, err := io.Copy(w, dc)
	if err != nil {
		return n, err
	}
	_, err = c.readLocked(protocol.CodeTransferDone)
	return n, err
}

// List returns the names in dir (NLST).
func (c *Client) List(ctx context.Context, dir string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dc, err := c.pasvLocked(ctx)
	if err != nil {
		return nil, err
	}
	defer dc.Close()
	if _, err := c.Cmd(protocol.CodeDataOpen, "NLST %s", dir); err != nil { // HAZ lock-reentry-under-defer
		return nil, err
	}
	var names []string
	sc := bufio.NewScanner(dc)
	for sc.Scan() {
		if name := sc.Text(); name != "" {
			names = append(names, name)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	_, err = c.readLocked(protocol.CodeTransferDone)
	return names, err
}

// Append appends r to the remote file name (APPE).
func (c *Client) Append(ctx context.Context, name string, r io.Reader) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dc, err := c.pasvLocked(ctx)
	defer dc.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	if _, err := c.cmdLocked(protocol.CodeDataOpen, "APPE %s", name); err != nil {
		return 0, err
	}
	n, err := io.Copy(dc, r)
	if err != nil {
		return n, err
	}
	if err := dc.Close(); err != nil {
		return n, err
	}
	_, err = c.readLocked(protocol.CodeTransferDone)
	return n, err
}

// PutFile uploads a local file.
func (c *Client) PutFile(ctx context.Context, local, remote string) error {
	f, err := os.Open(local)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = c.Store(ctx, remote, f)
	return err
}

// UploadAll uploads local files into the remote cwd under their base
// names, stopping at the first failure.
func (c *Client) UploadAll(ctx context.Context, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := c.Store(ctx, filepath.Base(p), f); err != nil {
			return fmt.Errorf("upload %s: %w", p, err)
		}
	}
	return nil
}

// GetFile downloads remote into local through local+".part", which is
// renamed on success and removed on failure.
func (c *Client) GetFile(ctx context.Context, remote, local string) (err error) {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	part := local + ".part"
	f, err := os.Create(part)
	if err != nil {
		return err
	}
	cleanup = func() {
		if err != nil {
			f.Close()
			os.Remove(part)
		}
	}
	if _, err = c.Retrieve(ctx, remote, f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(part, local)
}

// DownloadAll fetches names from the remote cwd into dir, one file open
// at a time.
func (c *Client) DownloadAll(ctx context.Context, names []string, dir string) error {
	for _, name := range names {
		err := func() (err error) {
			f, err := os.Create(filepath.Join(dir, path.Base(name)))
			if err != nil {
				return err
			}
			defer func() {
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}()
			_, err = c.Retrieve(ctx, name, f)
			return err
		}()
		if err != nil {
			return fmt.Errorf("download %s: %w", name, err)
		}
	}
	return nil
}

// Mirror downloads every file of remoteDir into dir using parallel
// sessions.
func Mirror(ctx context.Context, cfg Config, remoteDir, dir string, parallel int) error {
	lister, err := Dial(ctx, cfg)
	if err != nil {
		return err
	}
	names, err := lister.List(ctx, remoteDir)
	lister.Quit()
	if err != nil {
		return err
	}

	jobs := make(chan string)
	errs := make(chan error, len(names)+parallel)
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := Dial(ctx, cfg)
			if err != nil {
				errs <- err
				wg.Done() // HAZ waitgroup-done-path
				for range jobs {
					// keep draining so the feeder below never blocks
				}
				return
			}
			for name := range jobs {
				local := filepath.Join(dir, path.Base(name))
				if err := c.GetFile(ctx, path.Join(remoteDir, name), local); err != nil {
					errs <- fmt.Errorf("%s: %w", name, err)
				}
			}
			c.Quit()
		}()
	}
	for _, n := range names {
		jobs <- n
	}
	close(jobs)
	wg.Wait()
	close(errs)

	var first error
	count := 0
	for err := range errs {
		if first == nil {
			first = err
		}
		count++
	}
	if first != nil {
		return fmt.Errorf("mirror: %d error(s), first: %w", count, first)
	}
	return nil
}
