"""The 12345 import screen: upload, map columns (saved per source), preview, import with progress."""

import streamlit as st

from portal import hotline_import
from portal.errors import PortalError
from portal.i18n import format_datetime
from portal.roles import Actor
from portal.ui.context import db, lang, show_error, tr
from portal.ui.widgets import ask_to_confirm, pending_confirmation

PREFIX = "import"
PREVIEW_ROWS = 50


def _table(upload) -> tuple[list[str], list[list]] | None:  # noqa: ANN001
    """The uploaded file's header and rows, read once per file."""
    key = (upload.name, upload.size, upload.file_id)
    cached = st.session_state.get(f"{PREFIX}_table")
    if cached and cached[0] == key:
        return cached[1]
    try:
        table = hotline_import.read_table(upload.name, upload.getvalue())
    except PortalError as error:
        show_error(error)
        return None
    st.session_state[f"{PREFIX}_table"] = (key, table)
    st.session_state.pop(f"{PREFIX}_checked", None)
    return table


def _mapping(actor: Actor, header: list[str], source: str) -> dict[str, str]:
    with db() as session:
        saved = hotline_import.saved_mapping(session, source=source)
    proposal = saved or hotline_import.guess_mapping(header)
    st.markdown(f"**{tr('import.mapping')}**")
    options = [None, *header]
    mapping = {}
    columns = st.columns(3)
    for i, (field, label) in enumerate(hotline_import.FIELD_LABELS.items()):
        shown = tr("import.required_mark", label=label) if field in hotline_import.REQUIRED \
            else label
        default = proposal.get(field)
        mapping[field] = columns[i % 3].selectbox(
            shown, options, index=options.index(default) if default in options else 0,
            format_func=lambda h: tr("import.not_mapped") if h is None else h,
            placeholder=tr("import.not_mapped"),
            key=f"{PREFIX}_map_{source}_{field}")
    if st.button(tr("import.save_mapping"), key=f"{PREFIX}_save_mapping"):
        try:
            with db() as session:
                hotline_import.save_mapping(session, actor=actor, source=source,
                                            mapping={k: v for k, v in mapping.items() if v})
            st.success(tr("import.mapping_saved", source=source))
        except PortalError as error:
            show_error(error)
    return {k: v for k, v in mapping.items() if v}


def _check_text(row: hotline_import.Row) -> str:
    if row.errors:
        return "；".join(tr(k, **p) for k, p in row.errors)
    if row.already_imported:
        return tr("import.known")
    notes = [tr(k, **p) for k, p in row.warnings]
    return "；".join([tr("import.ok"), *notes])


def _preview(actor: Actor, checked: list[hotline_import.Row]) -> None:
    bad = sum(1 for r in checked if r.errors)
    known = sum(1 for r in checked if r.already_imported and not r.errors)
    st.info(tr("import.summary", total=len(checked), ok=len(checked) - bad - known,
               known=known, bad=bad))
    shown = sorted(checked, key=lambda r: (not r.errors, r.number))[:PREVIEW_ROWS]
    with db() as session:
        hints = hotline_import.preview_hints(session, actor=actor, rows=shown)
    st.caption(tr("import.preview_note", n=len(shown)))

    def when(value) -> str:  # noqa: ANN001
        return format_datetime(value, lang()) if value else ""

    st.dataframe([{tr("import.col.row"): r.number, tr("import.col.order_no"): r.values["order_no"],
                   tr("import.col.title"): r.values["title"],
                   tr("import.col.received"): when(r.values.get("received_at")),
                   tr("import.col.due"): when(r.values.get("due")),
                   tr("import.col.check"): _check_text(r),
                   tr("import.col.category"): hints.get(r.number, {}).get("category") or "",
                   tr("import.col.similar"): hints.get(r.number, {}).get("similar") or ""}
                  for r in shown], hide_index=True, use_container_width=True)


def _import(actor: Actor, checked: list[hotline_import.Row]) -> None:
    bar = st.progress(0.0, text=tr("import.progress", done=0, total=len(checked)))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=tr("import.progress", done=done, total=total))

    try:
        with db() as session:
            outcome = hotline_import.import_rows(session, actor=actor, checked=checked,
                                                 progress=progress)
    except PortalError as error:
        show_error(error)
        return
    st.success(tr("import.done", imported=outcome.imported, skipped=outcome.skipped))
    for batch in outcome.refused_batches:
        st.error(tr("import.refused", first=batch["first_row"], last=batch["last_row"],
                    rows="、".join(str(n) for n in batch["bad_rows"]) or "—"))
    st.session_state.pop(f"{PREFIX}_checked", None)


def render(actor: Actor) -> None:
    pending_confirmation()
    st.caption(tr("import.intro"))
    upload = st.file_uploader(tr("import.file"), type=["xlsx", "csv"], key=f"{PREFIX}_file")
    source = st.text_input(tr("import.source"), value=hotline_import.DEFAULT_SOURCE,
                           max_chars=40, key=f"{PREFIX}_source").strip() \
        or hotline_import.DEFAULT_SOURCE
    if upload is None:
        return
    table = _table(upload)
    if table is None:
        return
    header, rows = table
    mapping = _mapping(actor, header, source)
    if st.button(tr("import.preview"), key=f"{PREFIX}_preview"):
        try:
            with db() as session:
                st.session_state[f"{PREFIX}_checked"] = hotline_import.check_rows(
                    session, header=header, rows=rows, mapping=mapping)
        except PortalError as error:
            show_error(error)
    checked = st.session_state.get(f"{PREFIX}_checked")
    if checked is None:
        return
    _preview(actor, checked)
    if st.button(tr("import.run"), type="primary", key=f"{PREFIX}_run"):
        bad = sum(1 for r in checked if r.errors)
        again = sum(1 for r in checked if r.already_imported and not r.errors)
        ask_to_confirm(tr("uirep.ask_import", file=upload.name, source=source, rows=len(checked),
                          new=len(checked) - bad - again, again=again, bad=bad),
                       lambda _session: st.session_state.update({f"{PREFIX}_go": True}), None)
    if st.session_state.pop(f"{PREFIX}_go", False):  # confirmed: run here, with its progress bar
        _import(actor, checked)
