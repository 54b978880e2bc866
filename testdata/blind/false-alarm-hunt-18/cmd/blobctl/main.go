// Command blobctl is the command-line client for blobd.
//
// Usage:
//
//	blobctl get [-addr url] key
//	blobctl put [-addr url] key file
//	blobctl pack -o out.rec in.rec...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"example.com/fah18/jsonrpc"
	"example.com/fah18/recordio"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "get":
		err = cmdGet(args)
	case "put":
		err = cmdPut(args)
	case "pack":
		cmdPack(args)
	default:
		fatalf("unknown command %q", cmd)
	}
	if err != nil {
		fatalf("%v", err)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: blobctl get|put|pack [flags] args...")
}

// fatalf prints a message and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "blobctl: "+format+"\n", args...)
	os.Exit(1)
}

// cmdGet prints the value stored under a key.
func cmdGet(args []string) error {
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	addr := fs.String("addr", "http://localhost:8080/rpc", "server URL")
	timeout := fs.Duration("timeout", 10*time.Second, "request timeout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("get: want exactly one key")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	var v []byte
	if err := jsonrpc.NewClient(*addr, nil).Call(ctx, "get", fs.Arg(0), &v); err != nil {
		return fmt.Errorf("get %s: %w", fs.Arg(0), err)
	}
	_, err := os.Stdout.Write(v)
	return err
}

// cmdPut stores the contents of a file under a key.
func cmdPut(args []string) error {
	fs := flag.NewFlagSet("put", flag.ContinueOnError)
	addr := fs.String("addr", "http://localhost:8080/rpc", "server URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("put: want a key and a file")
	}
	data, err := os.ReadFile(fs.Arg(1))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	params := map[string]any{"key": fs.Arg(0), "value": data}
	return jsonrpc.NewClient(*addr, nil).Call(ctx, "put", params, nil)
}

// acquireLock creates path exclusively so that two packs cannot write the
// same output at once.
func acquireLock(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}

// cmdPack merges record files into one.
func cmdPack(args []string) {
	fs := flag.NewFlagSet("pack", flag.ExitOnError)
	out := fs.String("o", "", "output file")
	fs.Parse(args)
	if *out == "" || fs.NArg() == 0 {
		fatalf("pack: need -o and at least one input")
	}
	lock := *out + ".lock"
	if err := acquireLock(lock); err != nil {
		fatalf("pack: %v (is another pack running?)", err)
	}
	defer os.Remove(lock)
	if err := recordio.MergeFiles(*out, fs.Args()); err != nil {
		fatalf("pack: %v", err) // HAZ exit-skips-defer
	}
	fmt.Fprintf(os.Stderr, "packed %d files into %s\n", fs.NArg(), *out)
}
