package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"example.com/flagsvc/internal/audit"
	"example.com/flagsvc/internal/flags"
	"example.com/flagsvc/internal/store"
)

var errUsage = errors.New("wrong arguments (run flagctl without arguments for help)")

func dispatch(cl *apiClient, cfg config, cmd string, args []string) error {
	switch cmd {
	case "list":
		return cmdList(cl)
	case "on", "off":
		return cmdToggle(cl, args, cmd == "on")
	case "edit":
		return cmdEdit(cl, args)
	case "import":
		return cmdImport(cl, args)
	case "export":
		return cmdExport(cfg, args)
	case "snapshot":
		return cmdSnapshot(cfg, args)
	case "ping":
		return cmdPing(cl)
	case "watch":
		return cmdWatch(cl)
	case "audit-archive":
		return cmdArchive(args)
	case "history":
		return cmdHistory(cl, args)
	case "bench":
		return cmdBench(cl, args)
	case "lint":
		return cmdLint(args)
	case "stats":
		return cmdStats(cl)
	case "import-zip":
		return cmdImportZip(cl, args)
	case "bundle":
		return cmdBundle(cfg, args)
	case "restore":
		return cmdRestore(cfg, args)
	default:
		usage()
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func cmdList(cl *apiClient) error {
	defer timed("list")()
	list, err := cl.listFlags(context.Background())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tENABLED\tVARIATIONS\tVERSION\tUPDATED")
	for _, f := range list {
		fmt.Fprintf(tw, "%s\t%t\t%s\t%d\t%s\n", f.Key, f.Enabled, strings.Join(f.Variations, ","),
			f.Version, f.UpdatedAt.Local().Format(time.DateTime))
	}
	return tw.Flush()
}

func cmdToggle(cl *apiClient, args []string, on bool) error {
	if len(args) == 0 {
		return errUsage
	}
	for _, key := range args {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel() // HAZ defer-in-loop
		f, err := cl.toggle(ctx, key, on)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		fmt.Printf("%s: enabled=%t (version %d)\n", f.Key, f.Enabled, f.Version)
	}
	return nil
}

// cmdEdit opens a flag in $EDITOR and uploads the result.
func cmdEdit(cl *apiClient, args []string) error {
	if len(args) != 1 {
		return errUsage
	}
	ctx := context.Background()
	f, err := cl.getFlag(ctx, args[0])
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "flag-"+f.Key+"-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := runEditor(tmp.Name()); err != nil {
		fatalf("editor failed: %v", err) // HAZ exit-skips-defer
	}
	data, err := os.ReadFile(tmp.Name())
	if err != nil {
		return err
	}
	var edited flags.Flag
	if err := json.Unmarshal(data, &edited); err != nil {
		return fmt.Errorf("edited flag is not valid JSON: %w", err)
	}
	edited.Key = f.Key
	if err := edited.Validate(); err != nil {
		return err
	}
	return cl.putFlag(ctx, &edited)
}

func runEditor(path string) error {
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	cmd := exec.Command(editor, path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}

// cmdImport creates or updates every flag in a JSON file; on failure the
// flags already written are rolled back to their previous versions.
func cmdImport(cl *apiClient, args []string) error {
	if len(args) != 1 {
		return errUsage
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var list []*flags.Flag
	if err := json.Unmarshal(data, &list); err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	ctx := context.Background()
	var previous []*flags.Flag
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	for _, f := range list {
		prev, err := cl.getFlag(ctx, f.Key)
		if err != nil && !errors.Is(err, errNotFound) {
			return err
		}
		if err := cl.putFlag(ctx, f); err != nil {
			return fmt.Errorf("import %s: %w", f.Key, err)
		}
		if prev != nil {
			previous = append(previous, prev)
		}
		undo = func() { cl.restore(ctx, previous) }
	}
	undo = func() {}
	fmt.Printf("imported %d flags\n", len(list))
	return nil
}

// cmdExport writes the local store as gzip-compressed JSON.
func cmdExport(cfg config, args []string) error {
	if len(args) != 1 {
		return errUsage
	}
	st, err := store.Open(cfg.StorePath)
	if err != nil {
		return err
	}
	n := len(st.List())
	defer fmt.Fprintf(os.Stderr, "flagctl: %s holds %d flags\n", cfg.StorePath, n)
	return st.ExportGzip(args[0])
}

// cmdSnapshot backs up the local store file.
func cmdSnapshot(cfg config, args []string) error {
	dir := "."
	if len(args) > 0 {
		dir = args[0]
	}
	st, err := store.Open(cfg.StorePath)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		return st.Close()
	}()
	path, err := st.Backup(dir)
	if err != nil {
		return err
	}
	fmt.Println(path)
	return nil
}

func cmdPing(cl *apiClient) error {
	start := time.Now()
	resp, _ := cl.http.Get(cl.base + "/healthz")
	elapsed := time.Since(start).Round(time.Millisecond)
	defer resp.Body.Close() // HAZ defer-before-error-check
	fmt.Printf("%s: %s in %v\n", cl.base, resp.Status, elapsed)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("server unhealthy: %s", resp.Status)
	}
	return nil
}

// cmdWatch prints every change pushed by the server until interrupted.
func cmdWatch(cl *apiClient) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cl.base+"/stream", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := cl.stream.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			fmt.Println(data)
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	return sc.Err()
}

func cmdArchive(args []string) error {
	if len(args) != 2 {
		return errUsage
	}
	if err := audit.Archive(args[0], args[1]); err != nil {
		return err
	}
	return os.Remove(args[0])
}
