"""营商环境监督平台: the business-environment supervision portal."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
