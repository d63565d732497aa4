"""How a name as people write it ("M. Oyelaran", "Oyelaran, Marcus", "marcus oyelaran")
is matched to a person pmo knows: one rule for an import's owner column and a dialog's
owner field."""

from __future__ import annotations


def known_as(written: str, names: dict[str, str]) -> str | None:
    """The known name ``written`` stands for: the full name in any case, then "Surname,
    Given", then initials and surname when only one person fits. ``names`` maps each
    known name in lower case to the name as kept. None: nobody known. ValueError (its
    sentence) when several fit: never a guess."""
    name = " ".join(written.split())
    lowered = name.lower()
    if lowered in names:
        return names[lowered]
    surname, comma, given = name.partition(",")
    if comma and given.strip():
        turned = f"{given.strip()} {surname.strip()}".lower()
        if turned in names:
            return names[turned]
    parts = name.replace(".", ". ").split()
    if len(parts) >= 2 and all(len(p.rstrip(".")) == 1 for p in parts[:-1]):
        initials = [p[0].lower() for p in parts[:-1]]
        last = parts[-1].lower()
        fits = sorted(
            full
            for key, full in names.items()
            if key.split()[-1] == last
            and len(key.split()) - 1 >= len(initials)
            and all(
                word.startswith(initial)
                for word, initial in zip(key.split()[:-1], initials, strict=False)
            )
        )
        if len(fits) == 1:
            return fits[0]
        if len(fits) > 1:
            raise ValueError(f"“{name}” could be {' or '.join(fits)}: write the full name")
    return None
