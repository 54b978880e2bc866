package plugin

import (
	"bytes"
	"context"
	"fmt"
)

// echoPlugin answers every request with its payload, optionally upper-cased.
type echoPlugin struct {
	upper bool
}

func (e *echoPlugin) Name() string { return "echo" }

func (e *echoPlugin) Init(ctx context.Context, cfg Config) error {
	switch cfg["case"] {
	case "", "keep":
		e.upper = false
	case "upper":
		e.upper = true
	default:
		return fmt.Errorf("echo: bad case %q", cfg["case"])
	}
	return ctx.Err()
}

func (e *echoPlugin) Handle(ctx context.Context, req Request) (Response, error) {
	if err := ctx.Err(); err != nil {
		return Response{}, err
	}
	body := req.Payload
	if e.upper {
		body = bytes.ToUpper(body)
	}
	return Response{Status: 200, Body: body}, nil
}

func (e *echoPlugin) Close() error { return nil }

// Builtins returns a registry holding the plugins compiled into the host.
func Builtins() *Registry {
	r := NewRegistry()
	_ = r.Register("echo", func(Config) (Plugin, error) { return &echoPlugin{}, nil })
	_ = r.Register("webhook", func(Config) (Plugin, error) { return &webhookPlugin{}, nil })
	_ = r.Alias("notify", "webhook")
	return r
}
