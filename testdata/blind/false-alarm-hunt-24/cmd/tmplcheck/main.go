// Command tmplcheck parses a template directory and dry-renders every
// template against sample data, so CI catches template errors early.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"example.com/fah24/internal/fsutil"
	"example.com/fah24/internal/render"
)

func main() {
	sample := flag.String("data", "", "JSON `file` with sample template data")
	flag.Parse()
	if flag.NArg() != 1 {
		fatalf("usage: tmplcheck [-data file] templates-dir")
	}
	r, err := render.New(flag.Arg(0))
	if err != nil {
		fatalf("%v", err)
	}
	data := map[string]any{}
	if *sample != "" {
		if err := fsutil.ReadJSON(*sample, &data); err != nil {
			fatalf("%v", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = validate(ctx, r, data)
	stop()
	if err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "tmplcheck: "+format+"\n", args...)
	os.Exit(1)
}

// validate renders every template to io.Discard, reporting all failures.
func validate(ctx context.Context, r *render.Renderer, data map[string]any) error {
	var errs []error
	for _, name := range r.Names() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.RenderTo(io.Discard, name, data); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
