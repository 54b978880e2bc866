package agent

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/backupsched/internal/archive"
	"example.com/backupsched/internal/config"
)

const quiesceFlag = ".backup-in-progress"

// raiseFlag and lowerFlag implement the "flagfile" quiesce method: the
// application pauses its writes while the flag file exists.
func raiseFlag(root string) error {
	return os.WriteFile(filepath.Join(root, quiesceFlag), []byte(time.Now().UTC().Format(time.RFC3339)), 0o644)
}

func lowerFlag(root string) error {
	return os.Remove(filepath.Join(root, quiesceFlag))
}

// freezeActions and thawActions map a target's quiesce method to the
// actions run around its backup.
var (
	freezeActions = map[string]func(root string) error{"flagfile": raiseFlag}
	thawActions   = map[string]func(root string) error{"flagfile": lowerFlag}
)

// BackupQuiesced freezes t's first path with t's quiesce method for the
// duration of the backup.
func (a *Agent) BackupQuiesced(ctx context.Context, t config.Target) error {
	root := t.Paths[0]
	if freeze, ok := freezeActions[t.Quiesce]; ok {
		if err := freeze(root); err != nil {
			return fmt.Errorf("freeze %s: %w", root, err)
		}
	}
	defer thawActions[t.Quiesce](root) // HAZ defer-nil-func
	return a.backupRoots(ctx, t, t.Paths)
}

// VerifyAll checks every archive of the manifest and returns the names of
// those that no longer match.
func (a *Agent) VerifyAll() ([]string, error) {
	defer a.reg.Timer("verify_all") // HAZ defer-func-result-not-called
	var bad []string
	for _, e := range a.manifest.Entries() {
		sum, err := archive.FileSHA256(filepath.Join(a.cfg.ArchiveDir, e.Archive))
		if err != nil {
			return bad, err
		}
		if sum != e.SHA256 {
			bad = append(bad, e.Archive)
		}
	}
	return bad, nil
}

// BackupWithPing backs up t and then pings its dead-man's-switch URL so
// that a missed backup raises an alert elsewhere.
func (a *Agent) BackupWithPing(ctx context.Context, t config.Target) error {
	if t.PingURL != "" {
		defer http.Get(t.PingURL) // HAZ defer-blocking-call
	}
	return a.BackupStaged(ctx, t)
}

// WarmUp measures every target's size before the first run, so the status
// page can show it; a panic while measuring must not stop the daemon.
func (a *Agent) WarmUp(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("warm-up panicked: %v", p)
		}
	}()
	var wg sync.WaitGroup
	for _, t := range a.cfg.Targets {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			size, err := archive.TotalSize(ctx, t.Paths)
			if err != nil {
				a.log.Printf("size of %s: %v", t.Name, err)
			}
			a.reg.Set("target_bytes_"+t.Name, size)
		}()
	}
	wg.Wait()
	return nil
}

// StoreReachable checks that the object store accepts TCP connections.
func (a *Agent) StoreReachable(ctx context.Context) error {
	u, err := url.Parse(a.cfg.StoreURL)
	if err != nil {
		return err
	}
	d := net.Dialer{Timeout: 3 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return fmt.Errorf("object store %s unreachable: %w", u.Host, err)
	}
	defer conn.Close()
	return conn.SetDeadline(time.Now().Add(time.Second))
}
