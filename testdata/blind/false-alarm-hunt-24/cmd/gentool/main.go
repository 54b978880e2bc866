// Command gentool renders code from templates.
//
//	gentool generate [-config gentool.json] targets.jsonl
//	gentool bundle   [-o out.tar.gz] targets.jsonl
//	gentool clean    targets.jsonl
//	gentool watch
//	gentool plugins
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"example.com/fah24/internal/fsutil"
	"example.com/fah24/internal/gen"
)

type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

type env struct {
	stdout, stderr io.Writer
	log            *log.Logger
}

var commands = map[string]command{
	"generate": {"render every target in a manifest", cmdGenerate},
	"bundle":   {"render and pack outputs into a tarball", cmdBundle},
	"clean":    {"remove outputs not listed in a manifest", cmdClean},
	"watch":    {"re-render whenever a template changes", cmdWatch},
	"plugins":  {"list the compiled-in plugins", cmdPlugins},
	"list":     {"print the targets of a manifest", cmdList},
	"stats":    {"generate and print per-stage timing", cmdStats},
}

// main is the only place that exits; everything else returns an error so
// deferred cleanup in run and the subcommands always happens.
func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "gentool: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	e := &env{stdout: stdout, stderr: stderr, log: log.New(stderr, "gentool: ", 0)}
	if err := cmd.run(ctx, e, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 2
		}
		fmt.Fprintf(stderr, "gentool %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: gentool <command> [flags] [args]")
	for _, name := range slices.Sorted(maps.Keys(commands)) {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
}

// loadConfig reads the configuration file, falling back to defaults when
// it does not exist.
func loadConfig(path string) (gen.Config, error) {
	cfg := gen.Config{TemplateDir: "templates", OutDir: "gen", CachePath: ".gentool-cache.json", Workers: 4}
	err := fsutil.ReadJSON(path, &cfg)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return cfg, err
	}
	return cfg, nil
}
