// Command flagctl edits feature flags, either through the service API or
// directly in a local snapshot file.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
)

type config struct {
	Server    string `json:"server"`
	Token     string `json:"token"`
	StorePath string `json:"storePath"`
	AuditPath string `json:"auditPath"`
	lockPath  string
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("flagctl: ")
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cfg, err := loadConfig()
	if err != nil {
		log.Fatal(err)
	}
	lock, err := acquireLock(cfg.lockPath)
	if err != nil {
		log.Fatal(err)
	}
	defer lock.Release()

	cl := newAPIClient(cfg)
	if err := dispatch(cl, cfg, os.Args[1], os.Args[2:]); err != nil {
		log.Fatal(err) // HAZ exit-skips-defer
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage: flagctl <command> [args]

commands:
  list                      list flags
  on|off <key>              toggle a flag
  edit <key>                edit a flag in $EDITOR
  import <file.json>        create or update flags from a file
  export <file.json.gz>     export the local store
  snapshot [dir]            back up the local store file
  ping                      check the server
  watch                     follow the change stream
  audit-archive <src> <dst> compress a rotated audit log
  history <key>...          show the audit trail of flags
  bench <key> <n>           measure evaluation latency
  lint <file.json>...       validate flag files (exit status 3 on problems)
  stats                     print the server's health summary
  import-zip <file.zip>     import the flags of a zip export
  bundle <out.tar.gz>       write a support bundle
  restore <backup-dir>      restore the local store from its newest backup
`)
}

// loadConfig merges ~/.flagctl.json with environment variables.
func loadConfig() (config, error) {
	cfg := config{
		Server:    envOr("FLAGCTL_SERVER", "http://localhost:8080"),
		StorePath: envOr("FLAGCTL_STORE", "flags.json"),
		AuditPath: envOr("FLAGCTL_AUDIT", "audit.log"),
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return cfg, err
	}
	cfg.lockPath = filepath.Join(home, ".flagctl.lock")
	f, err := os.Open(filepath.Join(home, ".flagctl.json"))
	if errors.Is(err, fs.ErrNotExist) {
		cfg.Token = os.Getenv("FLAGCTL_TOKEN")
		return cfg, nil
	}
	if err != nil {
		return cfg, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("%s: %w", f.Name(), err)
	}
	if tok := os.Getenv("FLAGCTL_TOKEN"); tok != "" {
		cfg.Token = tok
	}
	return cfg, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// fileLock keeps two flagctl processes from editing at the same time.
type fileLock struct {
	path string
}

func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("another flagctl is running (remove %s if it is stale)", path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &fileLock{path: path}, nil
}

// Release removes the lock file.
func (l *fileLock) Release() error {
	return os.Remove(l.path)
}

// fatalf prints an error and exits; for use where returning is not possible.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "flagctl: "+format+"\n", args...)
	os.Exit(1)
}
