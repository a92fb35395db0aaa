"""A Spark session for `creepcheck check --spark MASTER`, and what it needs installed."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

from creepcheck.errors import UserError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

INSTALL = "pip install 'creepcheck[spark]'"


def require_spark() -> None:
    """PySpark and pyarrow importable, or a UserError naming what to install."""
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise UserError(
            f"--spark needs PySpark and pyarrow ({exc.name} is missing): {INSTALL}"
        ) from None


def java_found() -> bool:
    """Whether Spark can start a JVM: `JAVA_HOME/bin/java`, else `java` on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        return os.access(os.path.join(home, "bin", "java"), os.X_OK)
    return shutil.which("java") is not None


def require_java() -> None:
    if not java_found():
        where = (
            f"JAVA_HOME ({os.environ['JAVA_HOME']}) has no bin/java"
            if os.environ.get("JAVA_HOME")
            else "no `java` on PATH and JAVA_HOME is not set"
        )
        raise UserError(
            f"Spark needs Java 17 or newer, and {where}: install a JDK (Debian and "
            "Ubuntu: apt install openjdk-17-jre-headless) or set JAVA_HOME to one"
        )


def start(master: str) -> SparkSession:
    """A session on `master` (`local[2]`, `spark://host:7077`, `yarn`…), quiet: no UI,
    no console progress bar, warnings and worse only."""
    require_spark()
    require_java()
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(master)
        .appName("creepcheck")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2048")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session
