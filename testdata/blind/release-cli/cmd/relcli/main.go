// Command relcli builds, packages, signs and publishes releases.
//
//	relcli [-config relcli.json] [-v] build|package|sign|publish|clean|checksums|release|version [flags]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"example.com/releasecli/internal/config"
	"example.com/releasecli/internal/state"
	"example.com/releasecli/internal/timing"
)

// Exit codes, documented in the README of the tool.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitConfig      = 3
	exitIO          = 4
	exitInterrupted = 130
)

var version = "dev"

func main() {
	os.Exit(run(os.Args[1:]))
}

func usage() {
	fmt.Fprintf(os.Stderr, `usage: relcli [-config file] [-v] <command> [flags]

commands:
  build       cross-compile all targets into the dist directory
  package     create tar.gz / zip archives and checksums
  sign        sign archives and checksum files
  publish     upload archives and the manifest
  clean       remove build outputs and old releases
  checksums   (re)compute SHA256SUMS for the dist directory
  release     build, package, sign and publish
  version     print the version
`)
}

func run(args []string) int {
	global := flag.NewFlagSet("relcli", flag.ContinueOnError)
	cfgPath := global.String("config", "", "configuration file (default: search for "+config.FileName+")")
	verbose := global.Bool("v", false, "verbose logging")
	global.Usage = func() {
		usage()
		os.Exit(exitUsage)
	}
	if err := global.Parse(args); err != nil {
		return exitUsage
	}
	rest := global.Args()
	if len(rest) == 0 {
		usage()
		return exitUsage
	}

	logger := log.New(os.Stderr, "relcli: ", 0)
	if *verbose {
		logger.SetFlags(log.Ltime | log.Lmicroseconds)
	}
	if rest[0] == "version" {
		fmt.Println("relcli", version)
		return exitOK
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		logger.Print(err)
		return exitConfig
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	a := &app{cfg: cfg, log: logger, reg: state.NewRegistry(), sw: timing.NewStopwatch()}
	var code int
	switch rest[0] {
	case "build":
		code = a.cmdBuild(ctx, rest[1:])
	case "package":
		code = a.cmdPackage(ctx, rest[1:])
	case "sign":
		code = a.cmdSign(ctx, rest[1:])
	case "publish":
		code = a.cmdPublish(ctx, rest[1:])
	case "clean":
		code = a.cmdClean(ctx, rest[1:])
	case "checksums":
		code = a.cmdChecksums(ctx, rest[1:])
	case "release":
		code = a.cmdRelease(ctx)
	default:
		fmt.Fprintf(os.Stderr, "relcli: unknown command %q\n", rest[0])
		return exitUsage
	}
	if ctx.Err() != nil {
		logger.Print("interrupted")
		return exitInterrupted
	}
	if code == exitOK {
		a.sw.Report(os.Stderr)
	}
	return code
}

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		found, err := config.FindConfig(".")
		if err != nil {
			return nil, err
		}
		path = found
	}
	if overlay := os.Getenv("RELCLI_OVERLAY"); overlay != "" {
		return config.LoadWithOverlay(path, overlay)
	}
	return config.Load(path)
}
