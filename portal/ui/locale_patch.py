"""Chinese for the few texts Streamlit draws itself and offers no setting for.

Streamlit 1.67 renders the file uploader's button ("Upload") and limit line ("10MB per file"),
and the date field's empty segments ("yyyy-mm-dd") in English whatever the browser's language.
This script, installed once per browser tab, rewrites those texts whenever they appear; the
table toolbar (English tooltips, a CSV download that bypasses our formula-safe Excel exports) is
hidden by CSS. A metric's value (a deadline, a count against its requirement) wraps onto a
second line in a narrow column instead of being cut off with an ellipsis. Remove an entry here
when Streamlit gains a setting for it.
"""

import streamlit as st

CSS = """
<style>
[data-testid="stElementToolbar"] { display: none; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere;
}
</style>
"""

SCRIPT = """
<script>
(() => {
  if (window.portalLocalePatch) { return; }
  window.portalLocalePatch = true;
  const segments = { year: '年', month: '月', day: '日' };
  const patch = (root) => {
    if (window.portalLanguage !== 'zh') { return; }
    root.querySelectorAll('[data-testid="stFileUploaderDropzone"] button p').forEach((p) => {
      if (p.textContent === 'Upload' || p.textContent === 'Browse files') { p.textContent = '选择文件'; }
    });
    root.querySelectorAll('[data-testid="stFileUploaderDropzoneInstructions"] span').forEach((s) => {
      const text = s.textContent.replace(/(\\d+)\\s*MB per file/, '单个文件不超过 $1 MB')
        .replace('Drag and drop files here', '将文件拖到此处').replace('Drag and drop file here', '将文件拖到此处');
      if (text !== s.textContent) { s.textContent = text; }  // only real changes: no loop
    });
    root.querySelectorAll('[data-testid="stDateInputField"] span[data-placeholder="true"]').forEach((s) => {
      const text = segments[s.dataset.type];
      if (text && s.textContent !== text) { s.textContent = text; }
    });
  };
  const start = () => {
    patch(document);
    new MutationObserver(() => patch(document)).observe(document.body,
      { childList: true, subtree: true, characterData: true });
  };
  if (document.body) { start(); } else { window.addEventListener('DOMContentLoaded', start); }
})();
</script>
"""


def install(language: str) -> None:
    """Hide the table toolbar; rewrite Streamlit's own English texts while the UI is Chinese."""
    st.html(CSS)
    st.html(f"<script>window.portalLanguage = {language!r};</script>" + SCRIPT,
            unsafe_allow_javascript=True)
