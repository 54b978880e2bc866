// Command prune-loop applies the retention policy of every target at a fixed
// interval, for hosts that run backups with an external tool. It keeps a
// state file that monitoring reads to tell whether pruning is active.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/backupsched/internal/config"
	"example.com/backupsched/internal/retention"
)

// writeState records the loop's state and the time it was written.
func writeState(path, state string) error {
	line := fmt.Sprintf("%s %s\n", state, time.Now().UTC().Format(time.RFC3339))
	return os.WriteFile(path, []byte(line), 0o644)
}

func main() {
	cfgPath := flag.String("config", "/etc/backupsched/backupsched.conf", "configuration file")
	every := flag.Duration("every", time.Hour, "pruning interval")
	statePath := flag.String("state", "/run/backupsched/prune-loop.state", "state file read by monitoring")
	flag.Parse()

	cfg, err := config.Load(*cfgPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := writeState(*statePath, "running"); err != nil {
		log.Fatal(err)
	}
	defer func() {
		if err := writeState(*statePath, "stopped"); err != nil {
			log.Printf("state: %v", err)
		}
	}()
	for { // HAZ signal-skips-defer
		for _, t := range cfg.Targets {
			p := retention.Policy{KeepLast: t.KeepLast, KeepWithin: t.KeepWithin}
			removed, err := retention.Prune(cfg.ArchiveDir, t.Name, p, time.Now(), false)
			if err != nil {
				log.Printf("prune %s: %v", t.Name, err)
				continue
			}
			log.Printf("prune %s: removed %d archives", t.Name, len(removed))
		}
		time.Sleep(*every)
	}
}
