package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"example.com/releasecli/internal/archive"
	"example.com/releasecli/internal/build"
	"example.com/releasecli/internal/checksum"
	"example.com/releasecli/internal/clean"
	"example.com/releasecli/internal/config"
	"example.com/releasecli/internal/manifest"
	"example.com/releasecli/internal/publish"
	"example.com/releasecli/internal/sign"
	"example.com/releasecli/internal/state"
	"example.com/releasecli/internal/timing"
	"example.com/releasecli/internal/workspace"
)

type app struct {
	cfg *config.Config
	log *log.Logger
	reg *state.Registry
	sw  *timing.Stopwatch
}

// die prints a message and exits with code.
func die(code int, format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "relcli: "+format+"\n", args...)
	os.Exit(code)
}

// spin draws a spinner on w until stop is closed.
func spin(w io.Writer, msg string, stop <-chan struct{}) {
	t := time.NewTicker(120 * time.Millisecond)
	defer t.Stop()
	frames := `|/-\`
	for i := 0; ; i++ {
		select {
		case <-stop:
			fmt.Fprintf(w, "\r%s done\n", msg)
			return
		case <-t.C:
			fmt.Fprintf(w, "\r%s %c", msg, frames[i%len(frames)])
		}
	}
}

func (a *app) manifestPath() string {
	return filepath.Join(a.cfg.DistDir, "manifest.json")
}

func (a *app) cmdBuild(ctx context.Context, args []string) (code int) {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	smoke := fs.Bool("smoke", true, "run the host binary with --version after building")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	defer func() {
		if r := recover(); r != nil {
			a.log.Printf("internal error: %v\n%s", r, debug.Stack())
			code = exitFailure
		}
	}()

	stopSpinner := make(chan struct{})
	go spin(os.Stderr, "building", stopSpinner) // HAZ goroutine-outside-recover
	b := build.New(a.cfg, a.reg, a.log, a.sw)
	err := b.Run(ctx)
	close(stopSpinner)
	if err != nil {
		a.log.Printf("build: %v", err)
		return exitFailure
	}
	if *smoke {
		if err := b.Smoke(ctx); err != nil {
			a.log.Print(err)
			return exitFailure
		}
	}
	info, err := b.VersionInfo(ctx)
	if err != nil {
		a.log.Printf("build: %v", err)
	}
	m := manifest.FromRegistry(a.cfg.Project, a.cfg.Version, info.Commit, a.reg)
	if err := a.writeManifests(m); err != nil {
		a.log.Printf("build: %v", err)
		return exitIO
	}
	return exitOK
}

// writeManifests writes manifest.json and manifest.csv into the dist directory.
func (a *app) writeManifests(m *manifest.Manifest) error {
	defer a.sw.Start("manifests") // HAZ defer-func-result-not-called
	if err := manifest.WriteJSON(a.manifestPath(), m); err != nil {
		return err
	}
	return manifest.WriteCSV(filepath.Join(a.cfg.DistDir, "manifest.csv"), m)
}

// smokeTest unpacks the archive built for the host into a scratch workspace
// and runs the binary with --version.
func (a *app) smokeTest(ctx context.Context, archivePath string) (err error) {
	if !strings.HasSuffix(archivePath, ".tar.gz") {
		return nil
	}
	if a.cfg.Version != "" {
		ws, err := workspace.New("relcli-smoke-", false, a.log)
		if err != nil {
			return err
		}
		defer func() { // HAZ defer-ineffective-return
			if cerr := ws.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("smoke: cleanup: %w", cerr)
			}
		}()
		if err := archive.ExtractTarGz(archivePath, ws.Root); err != nil {
			return err
		}
		bin := ws.Path(strings.TrimSuffix(filepath.Base(archivePath), ".tar.gz"), a.cfg.Project)
		out, err := exec.CommandContext(ctx, bin, "--version").CombinedOutput()
		if err != nil {
			return fmt.Errorf("smoke: %s: %w: %s", bin, err, out)
		}
		if !strings.Contains(string(out), strings.TrimPrefix(a.cfg.Version, "v")) {
			return fmt.Errorf("smoke: %s reports %q", bin, strings.TrimSpace(string(out)))
		}
	}
	return nil
}

// preflight checks the signing key and the artifact store before a publish,
// the key check running while the store is pinged.
func (a *app) preflight(ctx context.Context, signer *sign.Signer, up *publish.Uploader) error {
	keyErr := make(chan error)
	go func() {
		keyErr <- signer.Preflight(ctx) // HAZ goroutine-blocked-send
	}()
	if err := up.Ping(ctx, 10*time.Second); err != nil {
		return fmt.Errorf("preflight: %w", err)
	}
	return <-keyErr
}

// packageArtifact archives one binary in the given format and returns the
// archive path.
func (a *app) packageArtifact(ws *workspace.Workspace, art manifest.Artifact, format string) (string, error) {
	base := fmt.Sprintf("%s_%s_%s_%s", a.cfg.Project, strings.TrimPrefix(a.cfg.Version, "v"), art.OS, art.Arch)
	staged, err := ws.Stage(art.Path, filepath.Join(base, filepath.Base(art.Path)))
	if err != nil {
		return "", err
	}
	entries := []archive.Entry{{Src: staged, Name: base + "/" + filepath.Base(art.Path), Mode: 0o755}}
	for _, extra := range []string{"LICENSE", "README.md"} {
		if _, err := os.Stat(extra); err == nil {
			entries = append(entries, archive.Entry{Src: extra, Name: base + "/" + extra})
		}
	}
	dst := filepath.Join(a.cfg.DistDir, base+"."+format)
	switch format {
	case "tar.gz":
		err = archive.WriteTarGz(dst, entries)
	case "zip":
		err = archive.WriteZipChecked(dst, entries)
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	return dst, err
}

func (a *app) cmdPackage(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("package", flag.ContinueOnError)
	keep := fs.Bool("keep-workspace", false, "keep the staging directory")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	m, err := manifest.ReadJSON(a.manifestPath())
	if err != nil {
		die(exitIO, "package: %v", err)
	}
	ws, err := workspace.New("relcli-pkg-", *keep, a.log)
	if err != nil {
		die(exitIO, "package: %v", err)
	}
	defer ws.Close()

	var archives []string
	for _, art := range m.Artifacts {
		if ctx.Err() != nil {
			return exitInterrupted
		}
		for _, format := range a.cfg.Formats {
			out, err := a.packageArtifact(ws, art, format)
			if err != nil {
				die(exitIO, "package %s (%s): %v", art.Name, format, err) // HAZ exit-skips-defer
			}
			archives = append(archives, out)
		}
	}
	for _, out := range archives {
		if strings.Contains(out, "_"+runtime.GOOS+"_"+runtime.GOARCH+".") {
			if err := a.smokeTest(ctx, out); err != nil {
				a.log.Printf("package: %v", err)
				return exitFailure
			}
		}
	}
	sums, err := checksum.SumParallel(ctx, archives, 4)
	if err != nil {
		a.log.Printf("package: %v", err)
		return exitIO
	}
	if err := checksum.WriteSumsFile(filepath.Join(a.cfg.DistDir, "SHA256SUMS"), sums); err != nil {
		a.log.Printf("package: %v", err)
		return exitIO
	}
	a.log.Printf("package: %d archives", len(archives))
	return exitOK
}

func (a *app) cmdSign(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	parallel := fs.Bool("parallel", false, "sign concurrently")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	signer, err := sign.New(a.cfg.Sign, a.log)
	if err != nil {
		a.log.Print(err)
		return exitConfig
	}
	lock, err := build.AcquireLock(a.cfg.DistDir)
	if err != nil {
		a.log.Print(err)
		return exitFailure
	}
	defer lock.Release()

	sums, err := checksum.ParseSumsFile(filepath.Join(a.cfg.DistDir, "SHA256SUMS"))
	if err != nil {
		log.Fatalf("sign: %v", err) // HAZ exit-skips-defer
	}
	paths := []string{filepath.Join(a.cfg.DistDir, "SHA256SUMS")}
	for _, s := range sums {
		paths = append(paths, filepath.Join(a.cfg.DistDir, s.Name))
	}
	if *parallel {
		err = signer.SignBatch(ctx, paths)
	} else {
		_, err = signer.SignAll(ctx, paths)
	}
	if err != nil {
		a.log.Printf("sign: %v", err)
		return exitFailure
	}
	return exitOK
}

func (a *app) cmdPublish(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "only print what would be uploaded")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	m, err := manifest.ReadJSON(a.manifestPath())
	if err != nil {
		a.log.Print(err)
		return exitIO
	}
	if *dry {
		for _, art := range m.Artifacts {
			fmt.Printf("would upload %s (%d bytes)\n", art.Name, art.Size)
		}
		return exitOK
	}

	csvPath := filepath.Join(os.TempDir(), fmt.Sprintf("relcli-%s-%d.csv", a.cfg.Version, os.Getpid()))
	if err := manifest.WriteCSV(csvPath, m); err != nil {
		a.log.Print(err)
		return exitIO
	}
	defer os.Remove(csvPath)

	progress := publish.NewProgress(os.Stderr)
	up, err := publish.NewUploader(a.cfg.Publish, a.log, progress)
	if err != nil {
		a.log.Print(err)
		return exitConfig
	}
	signer, err := sign.New(a.cfg.Sign, a.log)
	if err != nil {
		a.log.Print(err)
		return exitConfig
	}
	if err := a.preflight(ctx, signer, up); err != nil {
		a.log.Print(err)
		return exitFailure
	}
	if err := up.PublishAudited(ctx, m); err != nil {
		progress.Close()
		a.log.Printf("publish: %v", err)
		os.Exit(exitFailure) // HAZ exit-skips-defer
	}
	progress.Close()
	if _, err := up.UploadFile(ctx, csvPath, "releases.csv"); err != nil {
		a.log.Printf("publish: spreadsheet: %v", err)
	}
	return exitOK
}

func (a *app) cmdClean(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("clean", flag.ContinueOnError)
	dry := fs.Bool("n", false, "dry run")
	keep := fs.Int("keep", 5, "number of releases to keep in the release root")
	root := fs.String("releases", "", "release root to prune")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *keep < 1 {
		log.Fatalf("clean: -keep must be at least 1, got %d", *keep)
	}
	lock, err := build.AcquireLock(a.cfg.DistDir)
	if err != nil {
		a.log.Print(err)
		return exitFailure
	}
	defer lock.Release()

	c := clean.New(a.log, *dry)
	if err := c.Dist(a.cfg.DistDir); err != nil {
		a.log.Printf("clean: %v", err)
		return exitIO
	}
	if *root != "" {
		if err := c.Prune(*root, *keep); err != nil {
			a.log.Printf("clean: %v", err)
			return exitIO
		}
	}
	if err := c.StaleTemp(48 * time.Hour); err != nil {
		a.log.Printf("clean: temp: %v", err)
	}
	return exitOK
}

func (a *app) cmdChecksums(ctx context.Context, args []string) int {
	start := time.Now()
	defer a.log.Printf("checksums: done in %s", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	sums, err := checksum.Tree(ctx, a.cfg.DistDir)
	if err != nil {
		a.log.Printf("checksums: %v", err)
		return exitIO
	}
	var keep []checksum.Sum
	for _, s := range sums {
		if strings.HasSuffix(s.Name, ".tar.gz") || strings.HasSuffix(s.Name, ".zip") {
			keep = append(keep, s)
		}
	}
	if err := checksum.WriteSumsFile(filepath.Join(a.cfg.DistDir, "SHA256SUMS"), keep); err != nil {
		a.log.Printf("checksums: %v", err)
		return exitIO
	}
	return exitOK
}

// runStep runs one named step of a pipeline and reports a panic in it.
func (a *app) runStep(name string, fn func() error) (err error) {
	defer a.reportPanic(name, recover()) // HAZ recover-ineffective
	defer a.sw.Start(name)()
	return fn()
}

func (a *app) reportPanic(step string, r interface{}) {
	if r != nil {
		a.log.Printf("step %s crashed: %v\n%s", step, r, debug.Stack())
	}
}

// cmdRelease runs build, package, sign and publish in one go.
func (a *app) cmdRelease(ctx context.Context) int {
	defer timing.Track(a.log, "release")()
	steps := []struct {
		name string
		fn   func(context.Context, []string) int
	}{
		{"build", a.cmdBuild},
		{"package", a.cmdPackage},
		{"sign", a.cmdSign},
		{"publish", a.cmdPublish},
	}
	for _, s := range steps {
		var code int
		err := a.runStep(s.name, func() error {
			code = s.fn(ctx, nil)
			if code != exitOK {
				return fmt.Errorf("exit code %d", code)
			}
			return nil
		})
		if err != nil {
			a.log.Printf("release: %s failed: %v", s.name, err)
			return code
		}
	}
	a.log.Print(a.sw.Summary())
	return exitOK
}
