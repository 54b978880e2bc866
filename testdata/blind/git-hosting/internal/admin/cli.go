// Package admin implements the subcommands of githost-admin.
package admin

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/hooks"
	"example.com/githost/internal/storage"
)

// CLI holds what the subcommands work on.
type CLI struct {
	Out, Err io.Writer
	Store    *storage.Store
	Git      *gitcmd.Runner
	Hooks    *hooks.Runner
}

const usageText = `usage: githost-admin COMMAND [ARGS]

commands:
  list                      list repositories
  create NAME [DESC]        create an empty repository
  delete [-force] NAME      delete a repository
  rename OLD NEW            rename a repository
  protect [-off] NAME       protect a repository against deletion
  gc [-aggressive] NAME     garbage-collect a repository
  prune NAME                prune unreachable objects
  repack NAME               repack into a single pack
  pack-refs NAME            pack loose refs
  verify-packs NAME         check pack files and indexes
  count-objects NAME        show pack versions and object counts
  fsck-all [-all]           fsck every repository
  verify-all                connectivity check of every repository
  report                    CSV report on standard output
  report-file FILE          CSV report written to FILE
  export NAME FILE          write a .tar.gz backup
  import NAME FILE          restore a .tar.gz backup
  stats [-json]             sizes and last pushes
  hooks                     list installed server hooks
  script FILE               run one command per line of FILE
`

// Run executes one subcommand and returns the process exit status.
func (c *CLI) Run(args []string) (code int) {
	if len(args) == 0 {
		fmt.Fprint(c.Err, usageText)
		return 2
	}
	defer c.recoverCommand(args[0], &code)
	return c.dispatch(args)
}

func (c *CLI) dispatch(args []string) int {
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "list":
		return c.cmdList(rest)
	case "create":
		return c.cmdCreate(rest)
	case "delete":
		return c.cmdDelete(rest)
	case "rename":
		return c.cmdRename(rest)
	case "protect":
		return c.cmdProtect(rest)
	case "gc":
		return c.cmdGC(rest)
	case "prune":
		return c.cmdPrune(rest)
	case "export":
		return c.cmdExport(rest)
	case "import":
		return c.cmdImport(rest)
	case "stats":
		return c.cmdStats(rest)
	case "repack":
		return c.cmdRepack(rest)
	case "pack-refs":
		return c.cmdPackRefs(rest)
	case "verify-packs":
		return c.cmdVerifyPacks(rest)
	case "count-objects":
		return c.cmdCountObjects(rest)
	case "fsck-all":
		return c.cmdFsckAll(rest)
	case "verify-all":
		return c.cmdVerifyAll(rest)
	case "report":
		return c.cmdReport(rest)
	case "report-file":
		return c.cmdReportFile(rest)
	case "hooks":
		return c.cmdHooks(rest)
	case "script":
		if len(rest) != 1 {
			c.errorf("usage: script FILE")
			return 2
		}
		failed, err := c.RunScript(rest[0])
		if err != nil {
			c.errorf("script: %v", err)
			return 1
		}
		if failed > 0 {
			return 1
		}
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(c.Out, usageText)
		return 0
	default:
		c.errorf("unknown command %q", cmd)
		fmt.Fprint(c.Err, usageText)
		return 2
	}
}

// recoverCommand turns a panicking subcommand into exit status 70 with a
// message. It must be deferred directly.
func (c *CLI) recoverCommand(name string, code *int) {
	if v := recover(); v != nil {
		fmt.Fprintf(c.Err, "githost-admin %s: internal error: %v\n", name, v)
		*code = 70
	}
}

// reportPanic prints the value of a panicking script line; it reports whether there was one.
func (c *CLI) reportPanic(line string) bool {
	v := recover() // HAZ recover-ineffective
	if v == nil {
		return false
	}
	fmt.Fprintf(c.Err, "%s: internal error: %v\n", line, v)
	return true
}

// RunScript executes one admin command per line of path, continuing after failures.
func (c *CLI) RunScript(path string) (failed int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		func() {
			defer func() {
				if c.reportPanic(line) {
					failed++
				}
			}()
			if code := c.dispatch(strings.Fields(line)); code != 0 {
				failed++
			}
		}()
	}
	return failed, sc.Err()
}

func newFlagSet(name string, errOut io.Writer) *flag.FlagSet {
	set := flag.NewFlagSet("githost-admin "+name, flag.ContinueOnError)
	set.SetOutput(errOut)
	return set
}

func (c *CLI) errorf(format string, args ...any) {
	fmt.Fprintf(c.Err, "githost-admin: "+format+"\n", args...)
}

// DiskUsage summarises the object storage of a repository.
type DiskUsage struct {
	Repo  string
	Bytes int64
	Packs int
	Loose int
	At    time.Time
}

// measure walks the objects directory of repo.
func (c *CLI) measure(repo *storage.Repo) DiskUsage {
	u := DiskUsage{Repo: repo.Name, At: time.Now()}
	objects := filepath.Join(repo.Path, "objects")
	err := filepath.WalkDir(objects, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		u.Bytes += info.Size()
		switch dir := filepath.Base(filepath.Dir(path)); {
		case dir == "pack" && strings.HasSuffix(path, ".pack"):
			u.Packs++
		case len(dir) == 2:
			u.Loose++
		}
		return nil
	})
	if err != nil {
		c.errorf("measuring %s: %v", repo.Name, err)
	}
	return u
}

// Report prints the usage with a label such as "before gc".
func (u DiskUsage) Report(w io.Writer, label string) {
	fmt.Fprintf(w, "%s %s: %s in %d packs, %d loose objects\n", u.Repo, label, humanBytes(u.Bytes), u.Packs, u.Loose)
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
