package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"example.com/githost/internal/archive"
)

func (c *CLI) cmdList(args []string) int {
	set := newFlagSet("list", c.Err)
	if err := set.Parse(args); err != nil {
		return 2
	}
	tw := tabwriter.NewWriter(c.Out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tLAST PUSH\tPROTECTED")
	for _, r := range c.Store.List() {
		last := "-"
		if t := r.LastPush(); !t.IsZero() {
			last = t.Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\n", r.Name, last, c.Store.IsProtected(r.Name))
	}
	if err := tw.Flush(); err != nil {
		c.errorf("list: %v", err)
		return 1
	}
	return 0
}

func (c *CLI) cmdCreate(args []string) int {
	if len(args) < 1 || len(args) > 2 {
		c.errorf("usage: create NAME [DESCRIPTION]")
		return 2
	}
	desc := ""
	if len(args) == 2 {
		desc = args[1]
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := c.Store.Create(ctx, args[0], desc)
	if err != nil {
		c.errorf("create %s: %v", args[0], err)
		return 1
	}
	fmt.Fprintf(c.Out, "created %s at %s\n", r.Name, r.Path)
	return 0
}

func (c *CLI) cmdDelete(args []string) int {
	set := newFlagSet("delete", c.Err)
	force := set.Bool("force", false, "do not ask for confirmation")
	if err := set.Parse(args); err != nil {
		return 2
	}
	if set.NArg() != 1 {
		c.errorf("usage: delete [-force] NAME")
		return 2
	}
	name := set.Arg(0)
	if !*force {
		c.errorf("refusing to delete %s without -force", name)
		return 1
	}
	if err := c.Store.Delete(name); err != nil {
		c.errorf("delete %s: %v", name, err)
		return 1
	}
	fmt.Fprintf(c.Out, "deleted %s\n", name)
	return 0
}

func (c *CLI) cmdRename(args []string) int {
	if len(args) != 2 {
		c.errorf("usage: rename OLD NEW")
		return 2
	}
	if err := c.Store.Rename(args[0], args[1]); err != nil {
		c.errorf("rename %s: %v", args[0], err)
		return 1
	}
	fmt.Fprintf(c.Out, "renamed %s to %s\n", args[0], args[1])
	return 0
}

func (c *CLI) cmdProtect(args []string) int {
	set := newFlagSet("protect", c.Err)
	off := set.Bool("off", false, "remove the protection")
	if err := set.Parse(args); err != nil {
		return 2
	}
	if set.NArg() != 1 {
		c.errorf("usage: protect [-off] NAME")
		return 2
	}
	if err := c.Store.SetProtected(set.Arg(0), !*off); err != nil {
		c.errorf("protect %s: %v", set.Arg(0), err)
		return 1
	}
	return 0
}

// cmdGC garbage-collects one repository and shows how much space it saved.
func (c *CLI) cmdGC(args []string) int {
	set := newFlagSet("gc", c.Err)
	aggressive := set.Bool("aggressive", false, "use git gc --aggressive")
	if err := set.Parse(args); err != nil {
		return 2
	}
	if set.NArg() != 1 {
		c.errorf("usage: gc [-aggressive] NAME")
		return 2
	}
	repo, err := c.Store.Get(set.Arg(0))
	if err != nil {
		c.errorf("gc: %v", err)
		return 1
	}
	c.measure(repo).Report(c.Out, "before gc")
	defer c.measure(repo).Report(c.Out, "after gc") // HAZ defer-call-chain
	gcArgs := []string{"gc", "--quiet"}
	if *aggressive {
		gcArgs = append(gcArgs, "--aggressive")
	}
	if _, err := c.Git.Output(context.Background(), repo.Path, gcArgs...); err != nil {
		c.errorf("gc %s: %v", repo.Name, err)
		return 1
	}
	return 0
}

// cmdPrune removes unreachable objects and shows the space before and after.
func (c *CLI) cmdPrune(args []string) int {
	if len(args) != 1 {
		c.errorf("usage: prune NAME")
		return 2
	}
	repo, err := c.Store.Get(args[0])
	if err != nil {
		c.errorf("prune: %v", err)
		return 1
	}
	before := c.measure(repo)
	if _, err := c.Git.Output(context.Background(), repo.Path, "prune", "--expire=2.weeks.ago"); err != nil {
		c.errorf("prune %s: %v", repo.Name, err)
		return 1
	}
	before.Report(c.Out, "before prune")
	c.measure(repo).Report(c.Out, "after prune")
	return 0
}

// cmdExport writes a .tar.gz backup of a repository.
func (c *CLI) cmdExport(args []string) int {
	if len(args) != 2 {
		c.errorf("usage: export NAME FILE")
		return 2
	}
	name, out := args[0], args[1]
	repo, err := c.Store.Get(name)
	if err != nil {
		c.errorf("export: %v", err)
		return 1
	}
	f, err := os.Create(out)
	if err != nil {
		c.errorf("export: %v", err)
		return 1
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if err := archive.BackupRepo(repo.Path, name+".git", f); err != nil {
		c.errorf("export %s: %v", name, err)
		return 1
	}
	fmt.Fprintf(c.Out, "exported %s to %s\n", name, out)
	return 0
}

// cmdImport restores a backup written by export.
func (c *CLI) cmdImport(args []string) int {
	if len(args) != 2 {
		c.errorf("usage: import NAME FILE")
		return 2
	}
	name, src := args[0], args[1]
	f, err := os.Open(src)
	if err != nil {
		c.errorf("import: %v", err)
		return 1
	}
	defer f.Close()
	staging, err := os.MkdirTemp(c.Store.Root(), ".import-")
	if err != nil {
		c.errorf("import: %v", err)
		return 1
	}
	if err := archive.ExtractBackup(f, staging); err != nil {
		os.RemoveAll(staging)
		c.errorf("import %s: %v", name, err)
		return 1
	}
	if err := c.Store.Import(name, filepath.Join(staging, name+".git")); err != nil {
		os.RemoveAll(staging)
		c.errorf("import %s: %v", name, err)
		return 1
	}
	if err := os.Remove(staging); err != nil {
		c.errorf("import %s: leftover %s: %v", name, staging, err)
	}
	fmt.Fprintf(c.Out, "imported %s\n", name)
	return 0
}

type statsLine struct {
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	LastPush  time.Time `json:"last_push"`
	Protected bool      `json:"protected"`
}

// cmdStats prints the size and last push of every repository.
func (c *CLI) cmdStats(args []string) int {
	set := newFlagSet("stats", c.Err)
	asJSON := set.Bool("json", false, "print JSON lines instead of a table")
	if err := set.Parse(args); err != nil {
		return 2
	}
	var (
		emit   func(statsLine)
		finish func()
	)
	if *asJSON {
		enc := json.NewEncoder(c.Out)
		emit = func(l statsLine) { enc.Encode(l) }
	} else {
		tw := tabwriter.NewWriter(c.Out, 0, 8, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "NAME\tSIZE\tLAST PUSH\tPROTECTED\t")
		emit = func(l statsLine) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t\n", l.Name, humanBytes(l.Size), l.LastPush.Format(time.DateOnly), l.Protected)
		}
		finish = func() { tw.Flush() }
	}
	defer finish() // HAZ defer-nil-func
	sizes := c.Store.SizeAll()
	for _, ri := range c.Store.Snapshot() {
		emit(statsLine{Name: ri.Name, Size: sizes[ri.Name], LastPush: ri.LastPush, Protected: ri.Protected})
	}
	return 0
}

// cmdHooks lists the server-wide hooks.
func (c *CLI) cmdHooks(args []string) int {
	if len(args) != 0 {
		c.errorf("usage: hooks")
		return 2
	}
	if c.Hooks == nil {
		c.errorf("hooks: no hook directory configured")
		return 1
	}
	names, err := c.Hooks.List()
	if err != nil {
		c.errorf("hooks: %v", err)
		return 1
	}
	for _, n := range names {
		fmt.Fprintln(c.Out, n)
	}
	return 0
}
