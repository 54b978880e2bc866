// Command cloudstore is the command-line client of the object store.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"time"

	"example.com/cloudstoragesdk/credentials"
	"example.com/cloudstoragesdk/storage"
)

const usageText = `usage: cloudstore <command> [flags] [args]

commands:
  ls [-l] PREFIX...       list objects
  get KEY DEST            download an object
  put SRC KEY             upload a file
  cat KEY                 write an object to stdout
  rm KEY...               delete objects
  presign [-ttl D] KEY    print a presigned download URL
  export PREFIX           print a CSV inventory
  verify KEY SHA256       download and verify an object
`

func usage() {
	fmt.Fprint(os.Stderr, usageText)
}

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "cloudstore: "+format+"\n", args...)
	os.Exit(1)
}

// envOr returns the environment variable k or def.
func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// newClient builds a client from the environment.
func newClient() (*storage.Client, error) {
	bucket := os.Getenv("CLOUDSTORE_BUCKET")
	if bucket == "" {
		return nil, errors.New("CLOUDSTORE_BUCKET is not set")
	}
	return storage.NewClient(storage.Config{
		Endpoint:    envOr("CLOUDSTORE_ENDPOINT", "https://storage.example.com"),
		Region:      envOr("CLOUDSTORE_REGION", "eu-1"),
		Bucket:      bucket,
		Credentials: credentials.DefaultChain(os.Getenv("CLOUDSTORE_PROFILE")),
	})
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("cloudstore: ")
	if len(os.Args) < 2 || strings.HasPrefix(os.Args[1], "-") {
		usage()
		os.Exit(2)
	}
	os.Exit(run(os.Args[1], os.Args[2:]))
}

// run executes one command and returns the exit status; its defers run
// before main exits.
func run(cmd string, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 6*time.Hour)
	defer cancel()
	c, err := newClient()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cloudstore:", err)
		return 1
	}
	switch cmd {
	case "ls":
		return cmdList(ctx, c, args)
	case "get":
		return cmdGet(ctx, c, args)
	case "put":
		return cmdPut(ctx, c, args)
	case "cat":
		return cmdCat(ctx, c, args)
	case "rm":
		return cmdRm(ctx, c, args)
	case "presign":
		return cmdPresign(ctx, c, args)
	case "export":
		return cmdExport(ctx, c, args)
	case "verify":
		return cmdVerify(ctx, c, args)
	default:
		usage()
		return 2
	}
}
