// Command schedcheck validates a configuration and prints the next activation
// times of each target.
package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	"example.com/backupsched/internal/config"
	"example.com/backupsched/internal/schedule"
)

func main() {
	cfgPath := flag.String("config", "/etc/backupsched/backupsched.conf", "configuration file")
	count := flag.Int("n", 3, "activations to print per target")
	flag.Parse()
	log.SetFlags(0)

	cfg, err := config.Load(*cfgPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := cfg.LoadIncludes(); err != nil {
		log.Fatal(err)
	}
	now := time.Now()
	for _, t := range cfg.Targets {
		s, err := schedule.Parse(t.Schedule)
		if err != nil {
			log.Fatalf("target %s: %v", t.Name, err)
		}
		fmt.Printf("%s (%s):\n", t.Name, s)
		next := now
		for i := 0; i < *count; i++ {
			next = s.Next(next)
			if next.IsZero() {
				fmt.Println("  never")
				break
			}
			fmt.Printf("  %s\n", next.Format(time.RFC1123))
		}
	}
}
