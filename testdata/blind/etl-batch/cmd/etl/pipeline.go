package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/etl/internal/extract"
	"example.com/etl/internal/load"
	"example.com/etl/internal/progress"
	"example.com/etl/internal/record"
	"example.com/etl/internal/store"
	"example.com/etl/internal/transform"
)

func runPipeline(ctx context.Context, cfg config) error {
	rep := progress.Start(os.Stderr, cfg.progress)
	defer rep.Stop()
	defer rep.Snapshot().WriteTo(os.Stderr) // HAZ defer-call-chain

	recs, err := extractAll(ctx, cfg, rep)
	if err != nil {
		return err
	}
	recs, err = transformAll(ctx, cfg, recs, rep)
	if err != nil {
		return err
	}
	return loadAll(ctx, cfg, recs, rep)
}

func extractAll(ctx context.Context, cfg config, rep *progress.Reporter) ([]record.Record, error) {
	defer rep.Stage("extract")()
	var all []record.Record
	for _, in := range cfg.inputs {
		recs, err := readInput(ctx, in)
		if err != nil {
			return nil, err
		}
		rep.Add("extract", int64(len(recs)))
		all = append(all, recs...)
	}
	return all, nil
}

func readInput(ctx context.Context, in string) ([]record.Record, error) {
	switch {
	case strings.HasPrefix(in, "https://"), strings.HasPrefix(in, "http://"):
		src := &extract.HTTPSource{Client: &http.Client{Timeout: time.Minute}, Token: os.Getenv("ETL_TOKEN")}
		return src.FetchJSONL(ctx, in)
	case strings.HasSuffix(in, ".zip"):
		return extract.ReadZipCSV(in)
	case strings.HasSuffix(in, ".jsonl"), strings.HasSuffix(in, ".jsonl.gz"):
		return extract.ReadJSONL(in)
	case strings.HasSuffix(in, ".csv"):
		return extract.ReadCSV(in)
	}
	return nil, fmt.Errorf("don't know how to read %s", in)
}

func pipelineSteps(cfg config) transform.Step {
	return transform.Chain(
		transform.TrimSpace(),
		transform.Require(cfg.key),
		transform.Filter(func(r record.Record) bool { return r["deleted"] != "true" }),
	)
}

func transformAll(ctx context.Context, cfg config, recs []record.Record, rep *progress.Reporter) ([]record.Record, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan record.Record)
	go func() {
		defer close(in)
		for _, r := range recs {
			select {
			case in <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	pool := &transform.Pool{Workers: cfg.workers, Step: pipelineSteps(cfg)}
	out, fails := pool.Run(ctx, in)
	var res []record.Record
	var errs []error
	for out != nil || fails != nil {
		select {
		case r, ok := <-out:
			if !ok {
				out = nil
				continue
			}
			res = append(res, r)
		case f, ok := <-fails:
			if !ok {
				fails = nil
				continue
			}
			errs = append(errs, fmt.Errorf("%s=%s: %w", cfg.key, f.Rec[cfg.key], f.Err))
		}
	}
	rep.Add("transform", int64(len(res)))
	return res, errors.Join(errs...)
}

func loadAll(ctx context.Context, cfg config, recs []record.Record, rep *progress.Reporter) error {
	defer log.Printf("etl: load phase for %d records finished", len(recs))
	return rep.Track("load", func() error {
		schema := record.InferSchema(recs)
		if cfg.out == "-" {
			return dumpCSV(os.Stdout, recs)
		}
		if cfg.out != "" {
			if err := load.WriteCSV(cfg.out, schema, recs); err != nil {
				return err
			}
		}
		if cfg.dsn == "" {
			return nil
		}
		db, err := store.Open(cfg.dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		l := &load.DBLoader{DB: db, Table: cfg.table, Schema: schema}
		if err := l.EnsureTable(ctx); err != nil {
			return err
		}
		if err := l.Load(ctx, recs); err != nil {
			return err
		}
		rep.Add("load", int64(len(recs)))
		return nil
	})
}

// dumpCSV writes recs to w; used for "-out -".
func dumpCSV(w io.Writer, recs []record.Record) error {
	schema := record.InferSchema(recs)
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(schema); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write(schema.Values(r)); err != nil {
			return err
		}
	}
	return nil
}
