// Command webhook serves the Widget admission webhooks.
package main

import (
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/k8scontrollers/pkg/metrics"
	"example.com/k8scontrollers/pkg/webhook"
)

func main() {
	addr := flag.String("addr", ":8443", "listen address")
	certFile := flag.String("tls-cert", "/etc/webhook/tls.crt", "serving certificate")
	keyFile := flag.String("tls-key", "/etc/webhook/tls.key", "serving key")
	pidFile := flag.String("pid-file", "/run/widget-webhook.pid", "pid file")
	auditURL := flag.String("audit-url", "", "external audit sink")
	auditFile := flag.String("audit-file", "", "local audit log")
	maxReplicas := flag.Int("max-replicas", 50, "replica limit")
	registries := flag.String("registries", "", "comma-separated allowed registries")
	flag.Parse()

	logger := log.New(os.Stderr, "webhook ", log.LstdFlags|log.Lmsgprefix)
	if err := writePIDFile(*pidFile); err != nil {
		log.Fatalf("webhook: %v", err)
	}
	defer os.Remove(*pidFile)

	srv := webhook.NewServer(webhook.Options{
		Validators: validators(*maxReplicas, *registries),
		Mutators:   []webhook.Mutator{webhook.Defaults{Replicas: 1}, webhook.ManagedBy{Value: "widget-controller"}},
		AuditURL:   *auditURL,
		AuditFile:  *auditFile,
		Logger:     logger,
		Metrics:    metrics.NewRegistry(),
	})
	httpSrv := &http.Server{Addr: *addr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	logger.Printf("serving admission webhooks on %s", *addr)
	if err := httpSrv.ListenAndServeTLS(*certFile, *keyFile); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		logger.Printf("server stopped: %v", err)
	}
}

func writePIDFile(path string) error {
	if path == "" {
		return errors.New("empty pid file path")
	}
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func validators(maxReplicas int, registries string) []webhook.Validator {
	vs := []webhook.Validator{
		webhook.ReplicaLimit{Max: int32(maxReplicas)},
		webhook.DeletionProtection{},
	}
	if registries != "" {
		vs = append(vs, webhook.ImageRegistry{Allowed: strings.Split(registries, ",")})
	}
	return vs
}
