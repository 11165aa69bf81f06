package sandbox

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"regexp"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/runtime"
)

type fakeBuilder struct {
	imageExists func(ctx context.Context, ref string) (bool, error)
	buildImage  func(ctx context.Context, spec runtime.BuildSpec, out io.Writer) (string, error)
}

var _ Builder = (*fakeBuilder)(nil)

func (f *fakeBuilder) ImageExists(ctx context.Context, ref string) (bool, error) {
	return f.imageExists(ctx, ref)
}

func (f *fakeBuilder) BuildImage(ctx context.Context, spec runtime.BuildSpec, out io.Writer) (string, error) {
	return f.buildImage(ctx, spec, out)
}

func TestRef(t *testing.T) {
	if !regexp.MustCompile(`^hangar-sandbox:[0-9a-f]{12}$`).MatchString(Ref()) {
		t.Errorf("Ref() = %q, want hangar-sandbox:<12 hex digits>", Ref())
	}
	amd, _ := buildContext("amd64")
	again, _ := buildContext("amd64")
	arm, _ := buildContext("arm64")
	if !bytes.Equal(amd, again) {
		t.Error("two builds of the amd64 context differ, so its tag would too")
	}
	if sha256.Sum256(amd) == sha256.Sum256(arm) {
		t.Error("the amd64 and arm64 contexts hash alike")
	}
}

func TestEnsureBuildsWhenAbsent(t *testing.T) {
	var specs []runtime.BuildSpec
	var files map[string]tarFile
	eng := &fakeBuilder{
		imageExists: func(context.Context, string) (bool, error) { return false, nil },
		buildImage: func(_ context.Context, spec runtime.BuildSpec, _ io.Writer) (string, error) {
			specs = append(specs, spec)
			files = readTar(t, spec.Context)
			return "sha256:1", nil
		},
	}
	labels := map[string]string{"hangar.managed": "true"}
	ref, err := Ensure(context.Background(), eng, labels)
	if err != nil || ref != Ref() {
		t.Fatalf("Ensure = %q, %v; want %q", ref, err, Ref())
	}
	if len(specs) != 1 {
		t.Fatalf("%d builds, want 1", len(specs))
	}
	if diff := cmp.Diff([]string{Ref()}, specs[0].Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(labels, specs[0].Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	pause, _ := Pause(goruntime.GOARCH)
	want := map[string]tarFile{"Dockerfile": {0o644, dockerfile}, "pause": {0o755, string(pause)}}
	if diff := cmp.Diff(want, files, cmp.AllowUnexported(tarFile{})); diff != "" {
		t.Errorf("build context (-want +got):\n%s", diff)
	}
	if !strings.Contains(dockerfile, `ENTRYPOINT ["/pause"]`) {
		t.Errorf("the Dockerfile runs no /pause:\n%s", dockerfile)
	}
}

type tarFile struct {
	mode int64
	body string
}

func readTar(t *testing.T, r io.Reader) map[string]tarFile {
	t.Helper()
	files := map[string]tarFile{}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatalf("reading the build context: %v", err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("reading %s: %v", hdr.Name, err)
		}
		files[hdr.Name] = tarFile{hdr.Mode, string(body)}
	}
}

func TestEnsureSkipsPresentImage(t *testing.T) {
	eng := &fakeBuilder{
		imageExists: func(_ context.Context, ref string) (bool, error) { return ref == Ref(), nil },
		buildImage: func(context.Context, runtime.BuildSpec, io.Writer) (string, error) {
			t.Error("built an image that exists")
			return "", nil
		},
	}
	if ref, err := Ensure(context.Background(), eng, nil); err != nil || ref != Ref() {
		t.Errorf("Ensure = %q, %v; want %q", ref, err, Ref())
	}
}

// TestEnsureBuildsOnceConcurrently: callers that find no image while another
// builds it wait for that build rather than start their own.
func TestEnsureBuildsOnceConcurrently(t *testing.T) {
	var mu sync.Mutex
	builds := 0
	eng := &fakeBuilder{
		imageExists: func(context.Context, string) (bool, error) {
			mu.Lock()
			defer mu.Unlock()
			return builds > 0, nil
		},
		buildImage: func(context.Context, runtime.BuildSpec, io.Writer) (string, error) {
			time.Sleep(20 * time.Millisecond) // a build takes time; others arrive meanwhile
			mu.Lock()
			defer mu.Unlock()
			builds++
			return "sha256:1", nil
		},
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := Ensure(context.Background(), eng, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if builds != 1 {
		t.Errorf("%d builds, want 1", builds)
	}
}

func TestEnsureErrors(t *testing.T) {
	errEngine := errors.New("engine down")
	tests := []struct {
		name         string
		exists, fail error
	}{
		{"checking", errEngine, nil},
		{"building", nil, errEngine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := &fakeBuilder{
				imageExists: func(context.Context, string) (bool, error) { return false, tt.exists },
				buildImage: func(context.Context, runtime.BuildSpec, io.Writer) (string, error) {
					return "", tt.fail
				},
			}
			ref, err := Ensure(context.Background(), eng, nil)
			if ref != "" || !errors.Is(err, errEngine) || !strings.HasPrefix(err.Error(), "building the sandbox image: ") {
				t.Errorf("Ensure = %q, %v; want \"\" and building the sandbox image: engine down", ref, err)
			}
		})
	}
}

// TestEnsureWaitRespectsContext: a caller waiting for another's build gives up
// when its context ends.
func TestEnsureWaitRespectsContext(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	slow := &fakeBuilder{
		imageExists: func(context.Context, string) (bool, error) { return false, nil },
		buildImage: func(context.Context, runtime.BuildSpec, io.Writer) (string, error) {
			close(started)
			<-release
			return "sha256:1", nil
		},
	}
	first := make(chan error, 1)
	go func() { _, err := Ensure(context.Background(), slow, nil); first <- err }()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Ensure(ctx, slow, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Ensure with a cancelled context while another builds: %v, want context.Canceled", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Errorf("the first Ensure: %v", err)
	}
}
