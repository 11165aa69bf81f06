package state

import (
	"errors"
	"testing"
)

func TestSecretsSetUnsetAndDeploy(t *testing.T) {
	s := openTest(t)
	mustCreate(t, s, "web", true)
	set := []Secret{{Name: "B", Sealed: []byte{1}, Digest: "d1", Staged: true}, {Name: "A", Sealed: []byte{2}, Digest: "d2"}}
	if err := s.SetSecrets("web", set, []string{"NEVER_SET"}, t0); err != nil {
		t.Fatal(err)
	}
	got, err := s.Secrets("web")
	if err != nil || len(got) != 2 || got[0].Name != "A" || got[1].Name != "B" || !got[1].Staged || !got[0].UpdatedAt.Equal(t0) {
		t.Fatalf("Secrets = %+v, %v; want A then staged B", got, err)
	}
	if n, err := s.DeploySecrets("web"); err != nil || n != 1 {
		t.Fatalf("DeploySecrets = %d, %v; want 1 staged", n, err)
	}
	if err := s.SetSecrets("web", nil, []string{"A"}, t0); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Secrets("web")
	if len(got) != 1 || got[0].Name != "B" || got[0].Staged {
		t.Fatalf("after deploy and unset A: %+v", got)
	}
}

func TestSecretsOfAnUnknownAppFail(t *testing.T) {
	s := openTest(t)
	if err := s.SetSecrets("ghost", []Secret{{Name: "A"}}, nil, t0); !errors.Is(err, ErrAppNotFound) {
		t.Fatalf("SetSecrets = %v, want ErrAppNotFound", err)
	}
	if _, err := s.Secrets("ghost"); !errors.Is(err, ErrAppNotFound) {
		t.Fatalf("Secrets = %v, want ErrAppNotFound", err)
	}
}

func TestDestroyAppRemovesItsSecrets(t *testing.T) {
	s := openTest(t)
	mustCreate(t, s, "web", true)
	if err := s.SetSecrets("web", []Secret{{Name: "A", Sealed: []byte{1}}}, nil, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.DestroyApp("web", t0); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, "web", true)
	if got, err := s.Secrets("web"); err != nil || len(got) != 0 {
		t.Fatalf("a new app of the same name has secrets: %+v, %v", got, err)
	}
}
