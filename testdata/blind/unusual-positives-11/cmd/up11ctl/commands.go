package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"example.com/up11/internal/dispatch"
	"example.com/up11/internal/store"
)

var errUsage = errors.New("bad arguments")

// commands is the dispatch table of up11ctl.
func commands(state string) []dispatch.Command {
	return []dispatch.Command{
		{
			Name: "compact",
			Help: "compact every shard",
			Run: func(_ context.Context, args []string) error {
				st, err := store.Open(state, args)
				if err != nil {
					return err
				}
				return st.CompactAll(firstField)
			},
		},
		{
			Name: "archive",
			Help: "archive one shard file as gzip",
			Run: func(_ context.Context, args []string) error {
				if len(args) != 2 {
					return fmt.Errorf("archive SHARD DEST: %w", errUsage)
				}
				return archiveShard(filepath.Join(state, args[0]+".log"), args[1])
			},
		},
		{
			Name: "checksum",
			Help: "print the SHA-256 of shard files",
			Run: func(_ context.Context, args []string) error {
				for _, a := range args {
					sum, err := store.Checksum(filepath.Join(state, a+".log"))
					if err != nil {
						return err
					}
					fmt.Printf("%s  %s\n", sum, a)
				}
				return nil
			},
		},
	}
}

func firstField(line []byte) string {
	k, _, _ := strings.Cut(string(line), "\t")
	return k
}

// archiveShard opens the shard read-only and archives it.
func archiveShard(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer f.Close()
	if err := store.Archive(dst, store.GzipLevel(6), f); err != nil {
		return fmt.Errorf("archive %s: %w", src, err)
	}
	return nil
}
