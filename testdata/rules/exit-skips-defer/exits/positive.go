package exits

import (
	"bufio"
	"log"
	"os"
	"syscall"

	"github.com/rs/zerolog"
	zlog "github.com/rs/zerolog/log"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
)

func writeReport(path string, lines []string) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	for _, l := range lines {
		if _, err := w.WriteString(l); err != nil {
			log.Fatalf("write: %v", err) // want `log\.Fatalf ends the process here in writeReport while the deferred w\.Flush\(\) \(line 22\) is pending, so it never runs`
		}
	}
}

func tempWork() {
	dir, err := os.MkdirTemp("", "work")
	if err != nil {
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	if len(dir) > 100 {
		os.Exit(2) // want `os\.Exit ends the process here in tempWork while the deferred os\.RemoveAll\(dir\) \(line 35\) is pending`
	}
}

func sysExit() {
	defer cleanup()
	syscall.Exit(3) // want `syscall\.Exit ends the process`
}

func cleanup() {}

func withLogger(l *log.Logger) {
	defer cleanup()
	l.Fatalln("bye") // want `\(\*log\.Logger\)\.Fatalln ends the process`
}

// A defer registered on one branch only: the CFG finds the path through it.
func branch(verbose bool) {
	if verbose {
		defer cleanup()
	}
	log.Fatal("done") // want `log\.Fatal ends the process here in branch while the deferred cleanup\(\) \(line 56\) is pending`
}

// Through a same-package helper that always exits.
func fatalf(format string, args ...any) {
	log.Printf(format, args...)
	os.Exit(1)
}

func viaHelper() {
	defer cleanup()
	fatalf("no config") // want `fatalf → os\.Exit ends the process`
}

// Third-party loggers.
func withLogrus() {
	defer cleanup()
	logrus.Fatal("bye") // want `github\.com/sirupsen/logrus\.Fatal ends the process`
}

func withLogrusLogger(l *logrus.Logger) {
	defer cleanup()
	l.Fatalf("bye %d", 1) // want `logrus\.Logger\)\.Fatalf ends the process`
}

func withZap(l *zap.Logger) {
	defer cleanup()
	l.Fatal("bye") // want `\(\*go\.uber\.org/zap\.Logger\)\.Fatal ends the process here in withZap while the deferred cleanup\(\)`
}

func withZerolog(l *zerolog.Logger) {
	defer cleanup()
	l.Fatal().Str("k", "v").Msg("bye") // want `zerolog\.Logger\)\.Fatal\(\)\.Msg ends the process`
}

func withZerologGlobal() {
	defer cleanup()
	zlog.Fatal().Msg("bye") // want `github\.com/rs/zerolog/log\.Fatal\(\)\.Msg ends the process`
}

// TestMain-like: the classic os.Exit(m.Run()) after a deferred teardown.
func runAll(run func() int) {
	defer cleanup()
	os.Exit(run()) // want `os\.Exit ends the process here in runAll`
}

// A defer in a function literal with its own exit.
func literal() func() {
	return func() {
		defer cleanup()
		os.Exit(1) // want `os\.Exit ends the process here in the function literal on line 106`
	}
}

// A long deferred literal is named as such in the message, once.
func longDeferredLiteral(dir string) {
	defer func() {
		if err := os.RemoveAll(dir); err != nil {
			log.Printf("cleanup of %s failed: %v", dir, err)
		}
	}()
	if _, err := os.Stat(dir); err != nil {
		log.Fatalf("stat: %v", err) // want `log\.Fatalf ends the process here in longDeferredLiteral while the deferred function literal \(line 114\) is pending`
	}
}

// A long deferred call of a named function is shown by its name.
func longDeferredCall(dir string) {
	defer os.RemoveAll(dir + "/a-rather-long-suffix-for-the-temporary-directory-of-this-run")
	log.Fatal("no") // want `log\.Fatal ends the process here in longDeferredCall while the deferred os\.RemoveAll\(\.\.\.\) \(line 126\) is pending`
}

type buffer struct{ n int }

func (b *buffer) Flush() error { b.n = 0; return nil }

// Flushed by hand on one path only: the other path still skips the deferred flush.
func flushSometimes(out *buffer, failed, quiet bool) {
	defer out.Flush()
	if failed {
		if !quiet {
			out.Flush()
		}
		os.Exit(1) // want `os.Exit ends the process here in flushSometimes while the deferred out.Flush\(\) \(line \d+\) is pending`
	}
}

// Loggers made by their packages' constructors: the result types are known.
func zapFromConstructor(path string) {
	logger := zap.NewExample()
	f, _ := os.Create(path)
	w := bufio.NewWriter(f)
	defer w.Flush()
	if path == "" {
		logger.Fatal("no path") // want `\(\*go\.uber\.org/zap\.Logger\)\.Fatal ends the process here in zapFromConstructor`
	}
}

func logrusFromConstructor(path string) {
	lg := logrus.New()
	f, _ := os.Create(path)
	w := bufio.NewWriter(f)
	defer w.Flush()
	if path == "" {
		lg.Fatalf("no path %q", path) // want `\(\*github\.com/sirupsen/logrus\.Logger\)\.Fatalf ends the process here in logrusFromConstructor`
	}
}

// A literal called in place exits in the frame of the function around it.
func exitInPlace(path string) {
	f, _ := os.Create(path)
	w := bufio.NewWriter(f)
	defer w.Flush()
	if path == "" {
		func() {
			log.Print("no path")
			os.Exit(1) // want `os.Exit ends the process here in exitInPlace while the deferred w.Flush\(\) \(line \d+\) is pending`
		}()
	}
}
