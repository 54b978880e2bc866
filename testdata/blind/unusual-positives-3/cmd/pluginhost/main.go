// Command pluginhost loads the built-in plugins and serves the admin API.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"strings"

	"example.com/unusualpos3/internal/admin"
	"example.com/unusualpos3/internal/plugin"
	"example.com/unusualpos3/internal/workflow"
)

func main() {
	addr := flag.String("addr", ":8080", "admin listen address")
	auditURL := flag.String("audit", "", "audit collector URL")
	journalDir := flag.String("journal", "/var/lib/pluginhost/journal", "journal directory")
	load := flag.String("load", "echo", "comma-separated plugins to load")
	flag.Parse()

	logger := log.New(os.Stderr, "pluginhost: ", log.LstdFlags)
	j, err := workflow.OpenJournal(*journalDir)
	if err != nil {
		logger.Fatalf("open journal: %v", err)
	}
	host := plugin.NewHost(plugin.Builtins(), logger)
	if err := loadPlugins(host, *load); err != nil {
		logger.Fatalf("load plugins: %v", err)
	}
	defer host.Shutdown()
	defer j.Close()

	eng := workflow.NewEngine(j, workflow.LogAuditor{Logger: logger}, logger)
	srv := admin.NewServer(host, eng, *auditURL, logger)
	logger.Printf("listening on %s", *addr)
	if err := http.ListenAndServe(*addr, srv.Routes()); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

// loadPlugins loads the comma-separated plugin list.
func loadPlugins(host *plugin.Host, list string) error {
	ctx := context.Background()
	for _, name := range strings.Split(list, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if err := host.Load(ctx, name, plugin.Config{}); err != nil {
			return err
		}
	}
	return nil
}
