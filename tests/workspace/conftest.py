import pytest

from .helpers import staff


@pytest.fixture
def kjj(wangcheng):
    """A 填报员 of 区科技局, which leads indicators 26–29 of the Wangcheng plan."""
    return staff("kjj", "区科技局")


@pytest.fixture
def gxj(wangcheng):
    """A 填报员 of 区工信局, a responsible unit of indicator 26."""
    return staff("gxj", "区工信局")
